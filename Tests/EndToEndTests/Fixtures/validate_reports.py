"""Validates ssot's SARIF and GitLab Code Quality output (issue 14).

  validate_reports.py sarif FILE    against SARIF 2.1.0's object model, as
                                    Microsoft's `sarif-om` (PyPI) defines it
  validate_reports.py gitlab FILE   against GitLab's Code Quality report
                                    format, as a JSON Schema, with `jsonschema`

Prints "ok" or each problem, one a line, and exits 1 on any.

sarif-om is generated from the SARIF 2.1.0 schema (jschema_to_python): each
class lists the schema's property names and which have no default (are
required). Every object ssot writes is checked against its class: no
property the schema lacks, every required one present. The property → class
map below names the classes of the properties ssot's output can hold.
"""
import json
import sys

import attr


def sarif_classes():
    import sarif_om as om
    return {
        "$root": om.SarifLog, "runs": om.Run, "tool": om.Tool, "driver": om.ToolComponent,
        "rules": om.ReportingDescriptor, "shortDescription": om.MultiformatMessageString,
        "fullDescription": om.MultiformatMessageString, "help": om.MultiformatMessageString,
        "defaultConfiguration": om.ReportingConfiguration, "results": om.Result, "message": om.Message,
        "locations": om.Location, "physicalLocation": om.PhysicalLocation,
        "artifactLocation": om.ArtifactLocation, "region": om.Region, "invocations": om.Invocation,
        "toolExecutionNotifications": om.Notification, "originalUriBaseIds": om.ArtifactLocation,
        "fixes": om.Fix, "artifactChanges": om.ArtifactChange, "replacements": om.Replacement,
        "deletedRegion": om.Region, "insertedContent": om.ArtifactContent, "snippet": om.ArtifactContent,
        "contextRegion": om.Region, "relatedLocations": om.Location, "descriptor": om.ReportingDescriptorReference,
        "suppressions": om.Suppression, "automationDetails": om.RunAutomationDetails,
    }


# Free-form maps of the schema: their keys are the producer's.
FREE = {"properties", "partialFingerprints", "fingerprints", "originalUriBaseIds"}


def check_sarif(doc):
    classes = sarif_classes()
    problems = []

    def check(value, cls, where):
        if isinstance(value, list):
            for i, v in enumerate(value):
                check(v, cls, f"{where}[{i}]")
            return
        if not isinstance(value, dict):
            problems.append(f"{where}: expected an object for {cls.__name__}")
            return
        fields = {f.metadata["schema_property_name"]: f for f in attr.fields(cls)}
        for name, f in fields.items():
            if f.default is attr.NOTHING and name not in value:
                problems.append(f"{where}: {cls.__name__} requires {name!r}")
        for key, v in value.items():
            if key not in fields:
                problems.append(f"{where}: {cls.__name__} has no property {key!r}")
            elif key in FREE:
                if key == "originalUriBaseIds":
                    for base, loc in v.items():
                        check(loc, classes["originalUriBaseIds"], f"{where}.{key}.{base}")
            elif key in classes and isinstance(v, (dict, list)):
                check(v, classes[key], f"{where}.{key}")

    check(doc, classes["$root"], "$")
    if doc.get("version") != "2.1.0":
        problems.append("$: version is not 2.1.0")
    return problems


# GitLab's Code Quality report format (docs: "Code Quality report format"):
# an array of issues, each with a description, check_name, fingerprint,
# severity and a location with a path and a begin line.
GITLAB = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "type": {"type": "string", "enum": ["issue"]},
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "minLength": 1},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "categories": {"type": "array", "items": {"type": "string"}},
            "location": {
                "type": "object",
                "required": ["path"],
                "properties": {
                    "path": {"type": "string", "minLength": 1},
                    "lines": {"type": "object", "required": ["begin"],
                              "properties": {"begin": {"type": "integer", "minimum": 1},
                                             "end": {"type": "integer", "minimum": 1}}},
                    "positions": {"type": "object", "required": ["begin"]},
                },
                "anyOf": [{"required": ["lines"]}, {"required": ["positions"]}],
            },
        },
    },
}


def check_gitlab(doc):
    import jsonschema
    validator = jsonschema.Draft202012Validator(GITLAB)
    problems = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(doc)]
    fingerprints = [i.get("fingerprint") for i in doc if isinstance(i, dict)]
    if len(fingerprints) != len(set(fingerprints)):
        problems.append("fingerprints are not unique")
    return problems


if __name__ == "__main__":
    kind, path = sys.argv[1], sys.argv[2]
    document = json.load(open(path, encoding="utf-8"))
    found = check_sarif(document) if kind == "sarif" else check_gitlab(document)
    print("\n".join(found) if found else "ok")
    sys.exit(1 if found else 0)
