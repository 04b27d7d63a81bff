"""A real OpenID Connect provider for the tests: django-oidc-provider (PyPI) in one file, on loopback.

    python3 provider.py PORT DATA_DIR REDIRECT_URI

sets up its database, an RSA signing key, a confidential client `casebook` and two people (Nina, an agent by her
`helpdesk-agents` group, and Carl, a customer with no group), then serves until killed. People sign in on its own
login form; ID tokens are signed with RS256 and carry name, email and the groups claim.
"""
import sys
from pathlib import Path

import django
from django.conf import settings

PORT, DATA, REDIRECT = int(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
HERE = Path(__file__).resolve().parent
CLIENT_SECRET = "provider-secret: with words & symbols"

settings.configure(
    DEBUG=False, SECRET_KEY="casebook-test-provider-" + "x" * 40, ALLOWED_HOSTS=["127.0.0.1", "localhost"], ROOT_URLCONF=__name__,
    INSTALLED_APPS=["django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions", "oidc_provider"],
    MIDDLEWARE=["django.contrib.sessions.middleware.SessionMiddleware", "django.middleware.csrf.CsrfViewMiddleware",
                "django.contrib.auth.middleware.AuthenticationMiddleware"],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(DATA / "provider.sqlite3")}},
    TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [str(HERE / "templates")], "APP_DIRS": True,
                "OPTIONS": {"context_processors": ["django.template.context_processors.request"]}}],
    LOGIN_URL="/accounts/login/", SITE_URL=f"http://127.0.0.1:{PORT}", USE_TZ=True,
    OIDC_IDTOKEN_INCLUDE_CLAIMS=True, OIDC_USERINFO=__name__ + ".userinfo", OIDC_IDTOKEN_PROCESSING_HOOK=__name__ + ".groups_claim",
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
)
django.setup()

from django.contrib.auth import views as auth_views  # noqa: E402
from django.urls import include, path  # noqa: E402


def userinfo(claims, user):
    claims["name"] = user.get_full_name()
    claims["given_name"] = user.first_name
    claims["family_name"] = user.last_name
    claims["email"] = user.email
    claims["email_verified"] = True
    claims["locale"] = "en-GB"
    return claims


def groups_claim(id_token, user, token, request, **kwargs):
    id_token["groups"] = [group.name for group in user.groups.all()]
    return id_token


urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(template_name="registration/login.html")),
    path("openid/", include("oidc_provider.urls", namespace="oidc_provider")),
]


def seed():
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from oidc_provider.models import Client, ResponseType, RSAKey

    call_command("migrate", verbosity=0)
    if not RSAKey.objects.exists():
        call_command("creatersakey")
    client, _ = Client.objects.get_or_create(client_id="casebook", defaults={"name": "Casebook"})
    client.client_type = "confidential"
    client.client_secret = CLIENT_SECRET
    client.jwt_alg = "RS256"
    client.require_consent = False
    client.redirect_uris = [REDIRECT]
    client.save()
    client.response_types.set([ResponseType.objects.get(value="code")])
    agents, _ = Group.objects.get_or_create(name="helpdesk-agents")
    for username, first, last, email, group in [("nina", "Nina", "Nurse", "nina@corp.example", agents),
                                                ("carl", "Carl", "Client", "carl@corp.example", None)]:
        if not User.objects.filter(username=username).exists():
            user = User.objects.create_user(username, email, "provider-password", first_name=first, last_name=last)
            if group:
                user.groups.add(group)


if __name__ == "__main__":
    from django.core.management import execute_from_command_line
    seed()
    execute_from_command_line(["provider.py", "runserver", f"127.0.0.1:{PORT}", "--noreload"])
