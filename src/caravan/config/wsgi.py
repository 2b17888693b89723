import os

from django.core.wsgi import get_wsgi_application

from caravan.kernel.runtime import settle

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caravan.config.settings.production")
application = get_wsgi_application()
settle()
