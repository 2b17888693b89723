# Only what differs from django.conf.locale.ru.formats; the rest is read from there.
MONTH_DAY_FORMAT = "j E"
