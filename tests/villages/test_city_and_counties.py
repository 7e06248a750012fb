"""The levels above the township: a city (4 digits) and its counties (6 digits beginning with the city's)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from villages.models import City, District

from ..factories import CityFactory, DistrictFactory


@pytest.mark.django_db
def test_a_countys_code_must_begin_with_its_citys():
    shaoxing = CityFactory(code="3306", name="绍兴市")
    county = District(code="331004", name="错码县", city=shaoxing, kind=District.Kind.COUNTY)
    with pytest.raises(ValidationError) as error:
        county.full_clean()
    assert error.value.message_dict["code"] == ["代码331004必须以上级代码3306开头。"]
    xinchang = District(code="330624", name="新昌县", city=shaoxing, kind=District.Kind.COUNTY)
    xinchang.full_clean()
    assert [xinchang.get_kind_display(), District(kind=District.Kind.DISTRICT).get_kind_display()] == ["县", "区"]


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["336", "33a6"])
def test_a_city_code_has_four_digits_in_the_database(code):
    # Five digits do not fit the column at all (PostgreSQL refuses them before any constraint).
    with pytest.raises(IntegrityError), transaction.atomic():
        City.objects.create(code=code, name="三位市")


@pytest.mark.django_db
def test_a_district_working_alone_names_no_city():
    alone = DistrictFactory(code="331081", name="温岭市", city=None, kind=District.Kind.COUNTY_CITY)
    alone.full_clean()
    assert alone.city is None and alone.get_kind_display() == "县级市"
