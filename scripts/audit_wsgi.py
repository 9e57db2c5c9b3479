"""The WSGI application `make audit` serves: Ascend's own, plus the public media files.

With production settings Django serves no media: public files (course covers, photos) come
from S3 or the reverse proxy in front of the app. The audit has neither, so WhiteNoise
stands in for them and serves ``MEDIA_ROOT/public`` at ``/media/public/`` (the URL the
local public storage gives its files); private files keep their signed-URL view.
"""

from django.conf import settings
from whitenoise import WhiteNoise

from config.wsgi import application as ascend

application = WhiteNoise(ascend)
application.add_files(str(settings.MEDIA_ROOT / "public"), prefix=f"{settings.MEDIA_URL}public/")
