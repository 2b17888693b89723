"""Operator pages under /backoffice/. Each area keeps its own module of views and urls."""

from django.urls import path

from . import views

app_name = "backoffice"
urlpatterns = [
    path("", views.home, name="home"),
]
