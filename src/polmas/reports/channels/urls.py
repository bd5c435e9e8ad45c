from django.urls import path

from polmas.reports.channels.twilio import twilio_sms
from polmas.reports.channels.whatsapp import whatsapp

app_name = "channels"

urlpatterns = [
    path("sms/twilio/", twilio_sms, name="twilio"),
    path("whatsapp/", whatsapp, name="whatsapp"),
]
