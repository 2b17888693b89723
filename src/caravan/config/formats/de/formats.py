# Only what differs from django.conf.locale.de.formats ("5. Dezember 2026"): a comma before
# the time, as the other languages' pages write it.
DATETIME_FORMAT = "j. F Y, H:i"
