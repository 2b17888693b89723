from django.urls import path

from . import views

app_name = "sandbox"
urlpatterns = [
    path("pay/<str:reference>/", views.sandbox_pay, name="pay"),
]
