"""The domain error every service raises with a French message a view can show as is."""


class DomainError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
