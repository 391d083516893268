from django.urls import path  # noqa: F401

app_name = "suggestions"

# Pages under /suggestions/. The filing page that converts citizens' cases is in cases (it
# converts them): cases:suggestion_new.
urlpatterns: list = [
    # -- work (views/work.py) --
    # -- reports (views/reports.py) --
]
