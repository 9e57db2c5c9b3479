"""Avatar service: checked from the content, upright, resized, JPEG without metadata, in
the public storage under the default profile's key; replaced and removed cleanly."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from accounts.models import Profile
from accounts.services.avatars import avatar_remove, avatar_set
from accounts.tests.factories import ProfileFactory
from core.storage import public_storage

from .file_samples import EXIF_ORIENTATION, exe_bytes, image_bytes, jpeg_rotated_by_exif, stored_keys, upload

pytestmark = pytest.mark.django_db


def _stored_image(name: str) -> Image.Image:
    with public_storage().open(name) as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
        return image


def test_avatar_is_a_resized_jpeg_under_the_default_profile(user, django_capture_on_commit_callbacks):
    profile = ProfileFactory(user=user, is_default=True)
    with django_capture_on_commit_callbacks(execute=True):
        user = avatar_set(user=user, uploaded_file=upload("me.png", image_bytes((1200, 800))))
    assert user.avatar.name == f"users/{user.pk}/profiles/{profile.pk}/avatar.jpg"
    image = _stored_image(user.avatar.name)
    assert (image.format, image.size, image.mode) == ("JPEG", (512, 341), "RGB")
    assert image.getpixel((10, 10))[0] > 150  # the orange survived flattening of the alpha channel
    assert stored_keys(user) == {"private": [], "public": [user.avatar.name]}
    user.refresh_from_db()
    assert user.avatar.name == f"users/{user.pk}/profiles/{profile.pk}/avatar.jpg"


def test_exif_orientation_is_applied_and_metadata_removed(user):
    user = avatar_set(user=user, uploaded_file=upload("phone.jpg", jpeg_rotated_by_exif((200, 100))))
    image = _stored_image(user.avatar.name)
    assert image.size == (100, 200)  # turned upright; small images are not enlarged
    assert EXIF_ORIENTATION not in image.getexif()
    assert not image.getexif()
    assert "exif" not in image.info


def test_a_user_without_profile_gets_a_default_one(user):
    user = avatar_set(user=user, uploaded_file=upload("me.webp", image_bytes(image_format="WEBP")))
    profile = Profile.objects.get(user=user)
    assert profile.is_default
    assert user.avatar.name == f"users/{user.pk}/profiles/{profile.pk}/avatar.jpg"


def test_uploading_again_replaces_the_object(user, django_capture_on_commit_callbacks):
    ProfileFactory(user=user, is_default=True)
    with django_capture_on_commit_callbacks(execute=True):
        first = avatar_set(user=user, uploaded_file=upload("a.png", image_bytes((50, 50)))).avatar.name
        second = avatar_set(user=user, uploaded_file=upload("b.png", image_bytes((60, 60)))).avatar.name
    assert first == second
    assert _stored_image(second).size == (60, 60)
    assert stored_keys(user)["public"] == [second]


def test_a_new_default_profile_moves_the_avatar_and_removes_the_old_object(user, django_capture_on_commit_callbacks):
    old_profile = ProfileFactory(user=user, is_default=True)
    with django_capture_on_commit_callbacks(execute=True):
        old = avatar_set(user=user, uploaded_file=upload("a.png", image_bytes())).avatar.name
    old_profile.is_default = False
    old_profile.save()
    new_profile = ProfileFactory(user=user, is_default=True)
    with django_capture_on_commit_callbacks(execute=True):
        new = avatar_set(user=user, uploaded_file=upload("b.png", image_bytes())).avatar.name
    assert new == f"users/{user.pk}/profiles/{new_profile.pk}/avatar.jpg"
    assert old != new
    assert stored_keys(user)["public"] == [new]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.png", b"", "This file is empty."),
        ("virus.png", exe_bytes(), "detected: application/x-msdownload"),
        ("doc.png", b"%PDF-1.4\n", "detected: application/pdf"),
        ("broken.jpg", image_bytes(image_format="JPEG")[:100], "damaged"),
    ],
)
def test_bad_avatars_are_refused_and_nothing_changes(user, name, content, message):
    with pytest.raises(ValidationError, match=message) as caught:
        avatar_set(user=user, uploaded_file=upload(name, content))
    assert list(caught.value.message_dict) == ["avatar"]
    user.refresh_from_db()
    assert not user.avatar
    assert stored_keys(user) == {"private": [], "public": []}


def test_avatar_size_limit_is_a_setting(user, settings):
    settings.AVATAR_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="too large"):
        avatar_set(user=user, uploaded_file=upload("big.png", image_bytes((300, 300))))


def test_remove_clears_the_field_and_deletes_the_object(user, django_capture_on_commit_callbacks):
    user = avatar_set(user=user, uploaded_file=upload("a.png", image_bytes()))
    with django_capture_on_commit_callbacks(execute=True):
        user = avatar_remove(user=user)
    assert not user.avatar
    user.refresh_from_db()
    assert not user.avatar
    assert stored_keys(user)["public"] == []
    assert not avatar_remove(user=user).avatar  # again: nothing to do
