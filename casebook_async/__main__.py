"""python -m casebook_async: the ``casebook`` command line."""

from casebook_async.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
