"""The finding categories (问题类别) are a vocabulary the system administrator keeps; inspection records
themselves are kept by commission staff in the application, not in the admin."""

from django.contrib import admin

from .models import FindingCategory


@admin.register(FindingCategory)
class FindingCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "position", "active")
    list_filter = ("active",)
