"""The imperative Workflow: a pipeline assembled call by call, e.g. from a configuration.

aloft run examples/imperative.py pipeline --text hello
"""

from aloft import Workflow, task


@task
def shout(text: str) -> str:
    return text.upper()


@task
def exclaim(text: str, times: int = 1) -> str:
    return text + "!" * times


@task
def announce() -> None:
    print("starting")


pipeline = Workflow(name="examples.imperative.pipeline")
text = pipeline.add_workflow_input("text", str)
first = pipeline.add_entity(announce)
loud = pipeline.add_entity(shout, text=text)
first >> loud
done = pipeline.add_task(exclaim, text=loud.outputs["o0"], times=3)
pipeline.add_workflow_output("result", done.outputs["o0"])
