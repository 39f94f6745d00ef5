"""drf-spectacular hook: names for integer enums, so generated clients say `Rating.LIKE`, not
`VALUE_1` (`x-enum-varnames`, read by openapi-python-client and openapi-generator)."""

from django.db.models import IntegerChoices

from accounts.models import ResultSize
from generation.models import Rating

INTEGER_ENUMS: dict[str, type[IntegerChoices]] = {
    "RatingEnum": Rating,
    "ResultLongSideEnum": ResultSize,
}


def name_integer_enums(result: dict, generator, request, public) -> dict:
    components = result.get("components", {}).get("schemas", {})
    for name, choices in INTEGER_ENUMS.items():
        component = components.get(name)
        if component is not None:
            names = {member.value: member.name for member in choices}
            component["x-enum-varnames"] = [names[value] for value in component["enum"]]
    return result
