"""``opencomms model info``: which Dutch pipeline is loaded, with the accuracy of its model card."""

from __future__ import annotations

import json
import sys
from typing import Optional

import typer

from opencomms.cli import app

model_app = typer.Typer(help="The Dutch spaCy pipeline.", no_args_is_help=True)
app.add_typer(model_app, name="model")


@model_app.command("info")
def info(
    model: Optional[str] = typer.Option(None, "--model", help="Pipeline name or path; default: the bundled one."),
    format: str = typer.Option("text", "--format", "-f", help="text or json."),
) -> None:
    """Show name, version, path, components, label counts and accuracy of the pipeline.

    Voorbeeld: opencomms model info --format json
    """
    from opencomms.nlp import pipeline

    nlp = pipeline.load(model)
    meta = nlp.meta
    path = str(nlp.path) if getattr(nlp, "path", None) else None
    labels = {}
    for name in nlp.pipe_names:
        component = nlp.get_pipe(name)
        if hasattr(component, "labels") and not name.startswith("opencomms_"):
            try:
                if len(component.labels):
                    labels[name] = len(component.labels)
            except Exception:  # some components have no fixed label set
                pass
    data = {
        "name": pipeline.model_name(nlp),
        "version": meta.get("version", "0.0.0"),
        "path": path,
        "spacy_version": meta.get("spacy_version", ""),
        "components": list(nlp.pipe_names),
        "labels": labels,
        "capabilities": sorted(pipeline.capabilities(nlp)),
        "license": meta.get("license", ""),
        "accuracy": {key: round(value, 4) if isinstance(value, float) else value
                     for key, value in (meta.get("opencomms_scores") or meta.get("performance") or {}).items()},
        "sources": meta.get("sources", []),
    }
    if format == "json":
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    for key in ("name", "version", "path", "spacy_version", "license"):
        typer.echo(f"{key}: {data[key]}")
    typer.echo(f"components: {', '.join(data['components'])}")
    typer.echo(f"capabilities: {', '.join(data['capabilities'])}")
    for name, count in labels.items():
        typer.echo(f"labels ({name}): {count}")
    for key, value in data["accuracy"].items():
        if isinstance(value, (int, float)):
            typer.echo(f"accuracy {key}: {value}")
