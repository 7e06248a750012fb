import factory
from django.contrib.auth.models import Group
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.roles import CITY_ROLES, COUNTY_ROLES, second_factor_roles
from villages.models import City, District, Station, StationKind, Township, Village

PASSWORD = "Lianjie-test-2025"


def current_code(device: TOTPDevice) -> str:
    """The code the user's authenticator shows now."""
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City
        django_get_or_create = ("code",)

    code = "3310"
    name = "台州市"


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    city = factory.SubFactory(CityFactory)
    code = "331004"
    name = "路桥区"


class TownshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Township

    district = factory.SubFactory(DistrictFactory)
    # Nine digits whatever the sequence has reached (every `cast` counts two, so a whole run passes 999),
    # in 200-999: clear of the cast's 001/002 and of the demo's townships.
    code = factory.Sequence(lambda n: f"331004{n % 800 + 200:03d}")
    name = factory.Sequence(lambda n: f"测试{n + 1}街道")


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village

    township = factory.SubFactory(TownshipFactory)
    # Three digits after the township's nine, whatever the length of the session; 300–999 because tests
    # give villages of their own codes below 300.
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.township.code}{n % 700 + 300:03d}")
    name = factory.Sequence(lambda n: f"测试{n + 1}村")


class StationKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StationKind
        django_get_or_create = ("name",)

    name = "派出所"
    position = 10


class StationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Station

    township = factory.SubFactory(TownshipFactory)
    kind = factory.SubFactory(StationKindFactory)
    name = factory.LazyAttributeSequence(lambda o, n: f"{o.township.name}测试{n + 1}{o.kind.name}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)
    password_changed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=extracted))
        # Bound to its unit as the role requires: the test district (路桥区) or city (台州市) unless given.
        if extracted in COUNTY_ROLES and self.district_id is None:
            self.district = DistrictFactory()
        if extracted in CITY_ROLES and self.city_id is None:
            self.city = CityFactory()
        self.save()
        if extracted in second_factor_roles():  # enrolled, as the role requires
            TOTPDevice.objects.create(user=self, name="test", confirmed=True)
