"""Admin actions that ask for more before they run (a reason, a note): the intermediate
page every app's admin uses, rendered by ``templates/admin/action_with_reason.html``."""

from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.contrib.admin import helpers
from django.db.models import Model
from django.forms import Form
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django_stubs_ext import StrOrPromise


def admin_action_form_response(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    *,
    title: StrOrPromise,
    form: Form,
    selected: Iterable[Model],
    template: str,
    **extra: Any,
) -> TemplateResponse:
    """The intermediate page of an action on ``selected`` rows: ``form`` asks for what the
    action needs; submitting it posts the same action again with ``apply`` set. ``extra``
    goes to the template (e.g. the rows under the name it lists them by)."""
    selected = list(selected)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "opts": model_admin.model._meta,
        "form": form,
        "selected": selected,
        "action": request.POST.get("action", ""),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "select_across": request.POST.get("select_across", "0"),
        **extra,
    }
    return TemplateResponse(request, template, context)
