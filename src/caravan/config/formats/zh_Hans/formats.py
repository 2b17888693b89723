# Only what differs from django.conf.locale.zh_Hans.formats ("2026年12月5日"): Django's month
# and day pads the month ("09月5日"), which Chinese pages do not write.
MONTH_DAY_FORMAT = "n月j日"
