"""``ImageSpec``: flytekit's fields and builders, accepted as container_image and recorded in
the task's IR; bad fields are one clear error naming the field and the user's line."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from aloft import ImageSpec, task, workflow
from aloft.errors import DecoratorError
from aloft.sdk.image_spec import ImageSpecError

base = ImageSpec(
    name="Trainer",
    registry="ghcr.io/Team",
    python_version="3.11",
    packages=["numpy==2.0.0"],
    apt_packages=["git"],
    env={"MODE": "train"},
)


@task(container_image=base)
def train(x: int) -> int:
    return x + 1


@workflow
def train_wf(x: int) -> int:
    return train(x=x).with_overrides(container_image=base.with_packages("torch"))


def test_a_spec_is_named_as_flytekit_names_it_and_recorded_in_the_ir() -> None:
    assert (base.name, base.registry) == ("trainer", "ghcr.io/team")
    name = base.image_name()
    assert name.startswith("ghcr.io/team/trainer:") and name == base.image_name()
    template = train.template
    assert template.container_image == name
    assert template.image_spec is not None
    assert template.image_spec["packages"] == ["numpy==2.0.0"]
    assert template.image_spec["env"] == {"MODE": "train"}
    assert "source_root" not in template.image_spec  # fields left unset are not recorded


def test_builders_return_new_specs_with_a_new_tag() -> None:
    more = base.with_packages(["torch", "pandas"]).with_apt_packages("curl").with_commands("echo")
    assert more.packages == ["numpy==2.0.0", "torch", "pandas"]
    assert (more.apt_packages, more.commands) == (["git", "curl"], ["echo"])
    assert base.packages == ["numpy==2.0.0"]  # unchanged
    assert more.tag != base.tag
    override = train_wf.closure.workflow.nodes[0].overrides
    assert (
        override is not None
        and override.container_image == base.with_packages("torch").image_name()
    )


def test_a_task_runs_here_whatever_its_image() -> None:
    assert base.is_container()
    assert train(x=1) == 2


def test_a_spec_with_paths_among_its_options_has_a_tag_and_an_id() -> None:
    spec = base.with_builder_options({"context": Path("build")})
    assert spec.tag != base.tag and spec.id != base.id


def test_tag_format_and_from_env() -> None:
    dev = ImageSpec(name="app", tag_format="{spec_hash}-dev")
    assert dev.tag.endswith("-dev")
    pinned = ImageSpec.from_env(pinned_packages=["msgspec"], name="pinned")
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert pinned.python_version == version
    assert pinned.packages is not None and pinned.packages[0].startswith("msgspec==")


def test_the_requirements_file_is_part_of_the_tag(tmp_path: Path) -> None:
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("numpy\n")
    first = ImageSpec(name="app", requirements=str(requirements)).tag
    requirements.write_text("numpy\npandas\n")
    assert ImageSpec(name="app", requirements=str(requirements)).tag != first


def test_a_relative_requirements_file_is_found_next_to_the_module_from_anywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A worker imports a module from its code bundle with another working directory.
    project = tmp_path / "bundle"
    project.mkdir()
    (project / "requirements.txt").write_text("numpy\n")
    (project / "images.py").write_text(
        "from aloft import ImageSpec\n"
        "spec = ImageSpec(name='app', requirements='requirements.txt')\n"
    )
    monkeypatch.chdir(tmp_path)
    loader = importlib.util.spec_from_file_location("images", project / "images.py")
    assert loader is not None and loader.loader is not None
    module = importlib.util.module_from_spec(loader)
    loader.loader.exec_module(module)
    spec = module.spec
    assert spec.requirements == "requirements.txt"  # recorded as written
    absolute = ImageSpec(name="app", requirements=str(project / "requirements.txt"))
    assert spec.tag == absolute.tag


def test_from_env_names_the_line_of_a_package_not_installed() -> None:
    with pytest.raises(ImageSpecError) as info:
        ImageSpec.from_env(pinned_packages=["no-such-package-here"])
    where = f"tests/unit/sdk/test_image_spec.py:{info.tb.tb_lineno}"
    assert str(info.value) == (
        f"{where}: ImageSpec.from_env: package 'no-such-package-here' is not installed"
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"packages": "numpy"}, "packages='numpy': must be a list of strings"),
        ({"python_version": "three"}, "python_version='three': must be a version"),
        ({"env": {"A": 1}}, "env={'A': 1}: must be a dict of strings to strings"),
        ({"registry": "bad registry"}, "registry='bad registry': not a container registry"),
        (
            {"requirements": "/no/such/requirements.txt"},
            "requirements='/no/such/requirements.txt': no such file in the working directory",
        ),
        ({"tag_format": "latest"}, "tag_format='latest': must contain {spec_hash}"),
        ({"name": ""}, "name='': the image needs a name"),
        ({"base_image": 3}, "base_image=3: must be an image name or an ImageSpec"),
    ],
)
def test_a_bad_field_is_one_error_naming_it_and_the_line(
    fields: dict[str, object], message: str
) -> None:
    with pytest.raises(ImageSpecError) as info:
        ImageSpec(**fields)  # type: ignore[arg-type]
    where = f"tests/unit/sdk/test_image_spec.py:{info.tb.tb_lineno}"
    assert str(info.value).startswith(f"{where}: ImageSpec({message}")


def test_container_image_must_be_a_name_or_a_spec() -> None:
    with pytest.raises(
        DecoratorError, match="container_image must be an image name or an ImageSpec"
    ):

        @task(container_image=3)
        def wrong(x: int) -> int:
            return x
