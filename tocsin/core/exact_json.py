"""Django's JSON serialization format, keeping times to the microsecond.

Django's encoder cuts datetimes and times to the millisecond. A backup must give back exactly
what was there: each main courante entry's time is hashed to the microsecond, so a restored
logbook would no longer verify. Registered as the `exact_json` format (SERIALIZATION_MODULES);
the files it writes are plain JSON that Django's own `json` format reads back.
"""

import datetime

from django.core.serializers import json as django_json
from django.core.serializers.json import DjangoJSONEncoder


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(django_json.Serializer):
    def _init_options(self):
        self.options.setdefault("cls", ExactJSONEncoder)
        super()._init_options()

    def _value_from_field(self, obj, field):
        # Encrypted fields (tocsin.care) hold clear text in Python: a backup keeps their token.
        if getattr(field, "encrypted_at_rest", False):
            return field.value_to_string(obj)
        return super()._value_from_field(obj, field)


Deserializer = django_json.Deserializer
