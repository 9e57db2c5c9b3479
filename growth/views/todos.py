"""Todos pages: the list with filters (done, goal, priority) and an add form; tick, untick and
delete in place with HTMX (plain POST and redirect without JavaScript); an edit page."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import form_errors_from
from core.http import AuthenticatedHttpRequest
from growth.forms.todos import TodoForm
from growth.localtime import local_today
from growth.models import Todo
from growth.selectors.todos import TodoFilter, goal_options_for_user, todo_get_for_user, todo_queryset_for_user
from growth.services.todos import todo_create, todo_delete, todo_set_done, todo_update

TODOS_PER_PAGE = 30


def _list_context(request: AuthenticatedHttpRequest, form: TodoForm | None = None) -> dict[str, Any]:
    filterset = TodoFilter(request.GET or None, queryset=todo_queryset_for_user(user=request.user))
    filterset.form.fields["goal"] = forms.ModelChoiceField(
        label=_("Goal"), queryset=goal_options_for_user(user=request.user), required=False
    )
    todos = filterset.qs if filterset.is_valid() else filterset.queryset
    page = Paginator(todos, TODOS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "page_obj": page,
        "todos": page.object_list,
        "filter_form": filterset.form,
        "form": form or TodoForm(user=request.user),
        "today": local_today(request.user),
        "query": query.urlencode(),
        "filtered": bool(request.GET.dict().keys() - {"page"}),
    }


@login_required
@require_http_methods(["GET", "POST"])
def todo_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """My todos (filters: done, goal, priority) and the add form; adding with HTMX swaps the
    list, without JavaScript redirects back here."""
    form = None
    if request.method == "POST":
        form = TodoForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                todo_create(user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                if not request.htmx:
                    messages.success(request, _("Added."))
                    return HttpResponseRedirect(reverse("growth:todo-list"))
                form = None
        if request.htmx:
            context = _list_context(request, form)
            context["status_message"] = _("Added.") if form is None else _("Please correct the errors.")
            return render(request, "growth/todos/_board.html", context)
    return render(request, "growth/todos/list.html", _list_context(request, form))


def _own(request: AuthenticatedHttpRequest, pk: Any) -> Todo:
    todo = todo_get_for_user(user=request.user, todo_id=pk)
    if todo is None:
        raise Http404(_("There is no such todo."))
    return todo


@login_required
@require_POST
def todo_toggle(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    """Tick (``done=1``) or untick a todo; HTMX gets the item back."""
    todo = todo_set_done(todo=_own(request, pk), done=request.POST.get("done") == "1")
    if request.htmx:
        context = {"todo": todo, "today": local_today(request.user), "focus": True}
        return render(request, "growth/todos/_item.html", context)
    return HttpResponseRedirect(reverse("growth:todo-list"))


@login_required
@require_POST
def todo_delete_view(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    """Delete a todo; HTMX removes the item, a plain POST goes back to the list."""
    todo = _own(request, pk)
    todo_delete(todo=todo)
    if request.htmx:
        return HttpResponse("")
    messages.success(request, _("Deleted “%(text)s”.") % {"text": todo.text})
    return HttpResponseRedirect(reverse("growth:todo-list"))


@login_required
@require_http_methods(["GET", "POST"])
def todo_edit(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    """Edit a todo's text, due date, priority and goal."""
    todo = _own(request, pk)
    if request.method == "POST":
        form = TodoForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                todo_update(todo=todo, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("Saved."))
                return HttpResponseRedirect(reverse("growth:todo-list"))
    else:
        initial = {"text": todo.text, "due_date": todo.due_date, "priority": todo.priority, "goal": todo.goal_id}
        form = TodoForm(initial=initial, user=request.user)
    return render(request, "growth/todos/edit.html", {"todo": todo, "form": form})
