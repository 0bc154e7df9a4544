"""A Django app for the third-party JSON:API server of tests/thirdparty/drf_server.py."""
