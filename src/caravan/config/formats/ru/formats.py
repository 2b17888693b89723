# Only what differs from django.conf.locale.ru.formats; the rest is read from there.
# The month in the genitive ("5 декабря 2026"), and no abbreviated "year" after the year.
DATE_FORMAT = "j E Y"
DATETIME_FORMAT = "j E Y, H:i"
MONTH_DAY_FORMAT = "j E"
