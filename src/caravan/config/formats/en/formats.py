# Day before month, as Caravan's pages write dates in both languages ("5 December").
MONTH_DAY_FORMAT = "j F"
