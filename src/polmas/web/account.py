"""The user's own API tokens: a list of their logins from apps and scripts, each revocable."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from polmas.access.models import ApiToken
from polmas.access.tokens import token_list, token_revoke


@require_GET
@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    return render(request, "web/tokens.html", {"tokens": token_list(user=request.user)})


@require_POST
@login_required
def token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    # Only the caller's own live tokens: anyone else's answers 404, as a missing one does.
    token = token_list(user=request.user).filter(pk=token_id).first()
    if token is None:
        raise Http404
    token_revoke(user=request.user, token_id=token.pk, reason=ApiToken.Revoked.USER)
    messages.success(request, _("The token “%(name)s” is revoked: it no longer opens the API.")
                     % {"name": token.name})
    return redirect("tokens")
