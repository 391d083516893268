"""The projects app's pages, one module per stage of the loop (each with its `urlpatterns`)."""
