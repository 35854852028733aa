"""The suite tests the installed package, not the source tree."""
import os

import smtpcore


def test_imported_from_the_installed_package():
    installed = os.environ.get("SMTPCORE_INSTALLED_AT")
    assert installed, "run through bindings/python/run_tests.py"
    assert os.path.abspath(smtpcore.__file__).startswith(os.path.abspath(installed))
    assert os.path.exists(os.path.join(os.path.dirname(smtpcore.__file__), "py.typed"))


def test_version_from_the_library():
    assert smtpcore.__version__.count(".") == 2
