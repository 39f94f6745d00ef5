"""The one exception class for errors that are the caller's fault."""


class MLError(ValueError):
    """Bad input to the ml package: wrong image, bad file, invalid argument.

    The message is a single readable line, suitable for showing to a user.
    """
