"""Files as flytekit's streaming guide uses them: a task streams a remote CSV into a new remote
file, another crawls a folder and copies it file by file into a new remote folder."""

import csv
import os
import tempfile

from flytekit import task, workflow
from flytekit.types.directory import FlyteDirectory
from flytekit.types.file import FlyteFile


@task
def drop_city(ff: FlyteFile, city: str) -> FlyteFile:
    out = FlyteFile.new_remote_file("kept.csv")
    with ff.open("r") as source, out.open("w") as sink:
        rows = [row for row in csv.reader(source) if row[0] != city]
        sink.write("\n".join(",".join(row) for row in rows) + "\n")
    return out


@task
def copy_folder(fd: FlyteDirectory) -> FlyteDirectory:
    copy = FlyteDirectory.new_remote("copied")
    for base, name in fd.crawl():
        source_file = FlyteFile(os.path.join(base, name))
        with source_file.open("rb") as source, copy.new_file(name).open("wb") as sink:
            sink.write(source.read())
    return copy


@task
def describe(kept: FlyteFile, copied: FlyteDirectory) -> str:
    with open(kept) as handle:
        cities = [line.split(",")[0] for line in handle.read().split()]
    names = sorted(
        os.path.relpath(os.path.join(root, name), copied.path)
        for root, _, files in os.walk(copied)
        for name in files
    )
    return f"kept {cities}; copied {names}"


@workflow
def files_wf(data: FlyteFile, folder: FlyteDirectory, city: str = "Seattle") -> str:
    return describe(kept=drop_city(ff=data, city=city), copied=copy_folder(fd=folder))


if __name__ == "__main__":
    root = tempfile.mkdtemp()
    data = os.path.join(root, "cities.csv")
    with open(data, "w") as handle:
        handle.write("City,N\nSeattle,1\nBoston,2\nSeattle,3\nParis,4\n")
    folder = os.path.join(root, "folder")
    os.makedirs(os.path.join(folder, "sub"))
    for name in ("a.txt", "sub/b.txt"):
        with open(os.path.join(folder, name), "w") as handle:
            handle.write(name)
    print(files_wf(data=FlyteFile(data), folder=FlyteDirectory(folder)))
    print(files_wf(data=FlyteFile(data), folder=FlyteDirectory(folder), city="Paris"))
