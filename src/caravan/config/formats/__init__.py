"""Caravan's date formats per language, read before Django's own (FORMAT_MODULE_PATH).

Django's Russian MONTH_DAY_FORMAT is "j F", which prints the nominative "5 Декабрь"; a day of
a month takes the genitive ("5 декабря"), Django's "E"."""
