"""Buying pages and the payments API: the Checkout Session (created at a fake Stripe over
HTTP, ``stripe_fake``), refusals, the not-configured notice, success/cancel pages that
grant nothing, and the payment history with a constant number of queries."""

import pytest
from django.urls import reverse

from learning.models import Enrollment, Payment
from learning.tests.factories import CourseFactory, EnrollmentFactory
from learning.tests.payments import TEST_SECRET_KEY, TEST_WEBHOOK_SECRET, PaymentFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/learning/payments/"


@pytest.fixture
def keys(settings):
    settings.STRIPE_SECRET_KEY = TEST_SECRET_KEY
    settings.STRIPE_WEBHOOK_SECRET = TEST_WEBHOOK_SECRET


@pytest.fixture
def no_keys(stripe_fake, settings):
    """No Stripe keys (the embedded default); the fake Stripe sees whether it is called."""
    settings.STRIPE_SECRET_KEY = settings.STRIPE_WEBHOOK_SECRET = ""
    return stripe_fake


def session_creations(fake) -> list[dict]:
    return fake.calls("POST", "/v1/checkout/sessions")


def test_the_course_page_offers_buying_with_the_price(client, user, keys):
    course = CourseFactory(price_cents=4900)
    client.force_login(user)
    html = client.get(reverse("learning:course-detail", kwargs={"slug": course.slug})).content.decode()
    assert "Buy for $49.00" in html
    assert reverse("learning:course-buy", kwargs={"slug": course.slug}) in html


def test_buying_creates_a_pending_payment_and_sends_to_stripe_checkout(client, user, stripe_fake):
    course = CourseFactory(price_cents=4900, currency="EUR")
    client.force_login(user)
    response = client.post(reverse("learning:course-buy", kwargs={"slug": course.slug}))
    assert response.status_code == 302
    payment = Payment.objects.get()
    assert (payment.user, payment.course, payment.amount_cents, payment.currency) == (user, course, 4900, "EUR")
    assert (payment.kind, payment.item_id) == ("course", course.pk)
    assert payment.lines == [{"label": course.title, "amount_cents": 4900}]
    assert payment.status == Payment.Status.PENDING
    assert payment.stripe_checkout_session_id in stripe_fake.sessions
    assert response.url == f"{stripe_fake.url}/pay/{payment.stripe_checkout_session_id}"
    [params] = session_creations(stripe_fake)  # sent with the secret key (the fake checks it)
    assert stripe_fake.secret_key == TEST_SECRET_KEY
    assert params["mode"] == "payment"
    assert params["line_items"] == [
        {
            "quantity": "1",
            "price_data": {"currency": "eur", "unit_amount": "4900", "product_data": {"name": course.title}},
        }
    ]
    assert "expires_at" not in params  # a course holds nothing: Stripe's default expiry
    assert params["client_reference_id"] == str(payment.pk)
    assert params["metadata"]["payment_id"] == str(payment.pk)
    assert params["customer_email"] == user.email
    assert params["success_url"].endswith("/learn/payments/success/?session_id={CHECKOUT_SESSION_ID}")
    assert not Enrollment.objects.exists()  # only the webhook enrols


def test_stripe_refusing_fails_the_payment_and_says_to_try_again(client, user, stripe_fake):
    course = CourseFactory(price_cents=4900)
    client.force_login(user)
    stripe_fake.fail_next("/v1/checkout/sessions", status=400, message="Invalid currency.")
    response = client.post(reverse("learning:course-buy", kwargs={"slug": course.slug}), follow=True)
    assert "Stripe could not start the checkout" in response.content.decode()
    assert Payment.objects.get().status == Payment.Status.FAILED


@pytest.mark.parametrize(
    "case",
    [(0, False, "This course is free"), (4900, True, "already enrolled")],
    ids=["free", "enrolled"],
)
def test_buying_is_refused_with_the_reason(client, user, stripe_fake, case):
    price_cents, enrolled, message = case
    course = CourseFactory(price_cents=price_cents)
    if enrolled:
        EnrollmentFactory(user=user, course=course)
    client.force_login(user)
    response = client.post(reverse("learning:course-buy", kwargs={"slug": course.slug}), follow=True)
    assert message in response.content.decode()
    assert not Payment.objects.exists()
    assert session_creations(stripe_fake) == []


def test_a_draft_course_is_a_404(client, user, stripe_fake):
    course = CourseFactory(price_cents=4900, published=False)
    client.force_login(user)
    assert client.post(reverse("learning:course-buy", kwargs={"slug": course.slug})).status_code == 404
    assert not Payment.objects.exists()
    assert session_creations(stripe_fake) == []


def test_without_keys_buying_says_payments_are_not_configured(client, user, no_keys):
    course = CourseFactory(price_cents=4900)
    client.force_login(user)
    response = client.post(reverse("learning:course-buy", kwargs={"slug": course.slug}), follow=True)
    assert "Payments are not configured on this site yet" in response.content.decode()
    assert not Payment.objects.exists()
    assert session_creations(no_keys) == []


def test_the_success_page_shows_the_status_and_grants_nothing(client, user, keys):
    payment = PaymentFactory(user=user)
    client.force_login(user)
    url = reverse("learning:payment-success") + f"?session_id={payment.stripe_checkout_session_id}"
    html = client.get(url).content.decode()
    assert "Your enrolment appears in a moment" in html
    assert "Pending" in html
    assert not Enrollment.objects.exists()
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING


def test_the_success_page_does_not_show_another_users_payment(client, user, keys):
    other = PaymentFactory()
    client.force_login(user)
    url = reverse("learning:payment-success") + f"?session_id={other.stripe_checkout_session_id}"
    html = client.get(url).content.decode()
    assert other.course.title not in html


def test_the_cancel_page_says_nothing_was_charged(client, user):
    course = CourseFactory(price_cents=4900)
    client.force_login(user)
    html = client.get(reverse("learning:payment-cancel") + f"?course={course.slug}").content.decode()
    assert "nothing was charged" in html
    assert course.title in html


def test_payment_history_lists_my_payments_only_with_constant_queries(client, user, count_queries):
    mine = PaymentFactory(user=user)
    others = PaymentFactory()
    client.force_login(user)
    url = reverse("learning:payment-list")
    few = count_queries(lambda: client.get(url))
    html = client.get(url).content.decode()
    assert mine.course.title in html
    assert others.course.title not in html
    assert "$49.00" in html
    PaymentFactory.create_batch(8, user=user)
    assert count_queries(lambda: client.get(url)) == few


def test_api_lists_and_retrieves_my_payments_with_constant_queries(api_client, user, count_queries):
    mine = PaymentFactory(user=user)
    others = PaymentFactory()
    api_client.force_authenticate(user)
    few = count_queries(lambda: api_client.get(API))
    body = api_client.get(API).json()
    assert body["count"] == 1
    assert body["results"][0]["id"] == str(mine.pk)
    assert body["results"][0]["course"]["title"] == mine.course.title
    assert api_client.get(f"{API}{mine.pk}/").json()["amount_cents"] == 4900
    assert api_client.get(f"{API}{others.pk}/").status_code == 404
    PaymentFactory.create_batch(8, user=user)
    assert count_queries(lambda: api_client.get(API)) == few


def test_api_checkout_answers_201_with_the_checkout_url(api_client, user, stripe_fake):
    course = CourseFactory(price_cents=4900)
    api_client.force_authenticate(user)
    response = api_client.post(f"{API}checkout/", {"course": str(course.pk)}, format="json")
    assert response.status_code == 201
    payment = Payment.objects.get()
    assert response.json() == {
        "payment": str(payment.pk),
        "checkout_url": f"{stripe_fake.url}/pay/{payment.stripe_checkout_session_id}",
    }


def test_api_checkout_refusals(api_client, user, no_keys):
    course = CourseFactory(price_cents=4900)
    api_client.force_authenticate(user)
    response = api_client.post(f"{API}checkout/", {"course": str(course.pk)}, format="json")
    assert response.status_code == 409
    assert "not configured" in str(response.json())
    draft = CourseFactory(price_cents=4900, published=False)
    assert api_client.post(f"{API}checkout/", {"course": str(draft.pk)}, format="json").status_code == 404
    assert api_client.post(f"{API}checkout/", {"course": "nope"}, format="json").status_code == 400
    assert not Payment.objects.exists()
    assert session_creations(no_keys) == []


def test_buying_then_paying_at_stripe_enrols_through_the_signed_webhook(client, user, stripe_fake):
    """The whole way: the course page's button, Checkout at (fake) Stripe, its signed
    ``checkout.session.completed`` delivered to the webhook, the learner enrolled."""
    course = CourseFactory(price_cents=4900)
    client.force_login(user)
    client.post(reverse("learning:course-buy", kwargs={"slug": course.slug}))
    payment = Payment.objects.get()
    assert not Enrollment.objects.exists()
    response = stripe_fake.pay(payment, client=client)
    assert response.json() == {"received": True, "applied": True}
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert (
        payment.stripe_payment_intent_id == stripe_fake.sessions[payment.stripe_checkout_session_id]["payment_intent"]
    )
    assert Enrollment.objects.get(user=user, course=course).source == Enrollment.Source.PAYMENT


def _gadget_partly_refunded(user):
    from learning.models import Refund
    from learning.tests.payments import gadget_payment

    payment = gadget_payment(
        user=user,
        status=Payment.Status.PARTIALLY_REFUNDED,
        description="A gadget",
        lines=[
            {"label": "Base price (60 min)", "amount_cents": 6000},
            {"label": "In-person rate", "amount_cents": -1800},
            {"label": "Venue discount", "amount_cents": -420},
        ],
        amount_cents=3780,
        amount_refunded_cents=1000,
    )
    Refund.objects.create(
        payment=payment, amount_cents=1000, source=Refund.Source.STRIPE, status=Refund.Status.SUCCEEDED
    )
    return payment


@pytest.mark.usefixtures("gadgets")
def test_payment_history_lists_every_kind_with_its_breakdown_refunds_and_item(client, user, count_queries):
    course_payment = PaymentFactory(user=user)
    gadget = _gadget_partly_refunded(user)
    client.force_login(user)
    url = reverse("learning:payment-list")
    few = count_queries(lambda: client.get(url))
    html = client.get(url).content.decode()
    assert f'href="/gadgets/{gadget.item_id}/"' in html
    assert f'href="{reverse("learning:course-detail", kwargs={"slug": course_payment.course.slug})}"' in html
    assert "Gadget" in html
    assert "Course" in html
    for shown in ("Base price (60 min): $60.00", "In-person rate: -$18.00", "Venue discount: -$4.20", "$37.80"):
        assert shown in html
    assert "$10.00 refunded" in html
    assert "Partially refunded" in html
    for _ in range(4):
        PaymentFactory(user=user)
        _gadget_partly_refunded(user)
    assert count_queries(lambda: client.get(url)) == few


@pytest.mark.usefixtures("gadgets")
def test_api_lists_every_kind_with_its_breakdown_and_refunds_in_constant_queries(api_client, user, count_queries):
    gadget = _gadget_partly_refunded(user)
    api_client.force_authenticate(user)
    few = count_queries(lambda: api_client.get(API))
    [item] = api_client.get(API, {"kind": "gadget"}).json()["results"]
    assert item["kind"] == "gadget"
    assert item["kind_label"] == "Gadget"
    assert item["course"] is None
    assert item["item_id"] == str(gadget.item_id)
    assert item["item_url"] == f"http://testserver/gadgets/{gadget.item_id}/"
    assert item["lines"] == gadget.lines
    assert sum(line["amount_cents"] for line in item["lines"]) == item["amount_cents"] == 3780
    assert (item["amount_refunded_cents"], item["amount_display"], item["status"]) == (
        1000,
        "$37.80",
        "partially_refunded",
    )
    assert [(refund["amount_cents"], refund["source"], refund["status"]) for refund in item["refunds"]] == [
        (1000, "stripe", "succeeded")
    ]
    for _ in range(4):
        PaymentFactory(user=user)
        _gadget_partly_refunded(user)
    assert count_queries(lambda: api_client.get(API)) == few


@pytest.mark.usefixtures("gadgets")
def test_the_success_page_of_another_kind_links_to_the_item(client, user):
    gadget = _gadget_partly_refunded(user)
    gadget.status = Payment.Status.SUCCEEDED
    gadget.save()
    client.force_login(user)
    url = reverse("learning:payment-success") + f"?session_id={gadget.stripe_checkout_session_id}"
    html = client.get(url).content.decode()
    assert "Stripe confirmed the payment." in html
    assert f'href="/gadgets/{gadget.item_id}/"' in html
    assert "Venue discount: -$4.20" in html
