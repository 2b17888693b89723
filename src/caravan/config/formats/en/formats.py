# Day before month, as Caravan's pages write dates in every language ("5 December 2026").
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
MONTH_DAY_FORMAT = "j F"
