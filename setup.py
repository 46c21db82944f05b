"""Build hook: the top-level ontology/ folder ships inside the package as sendgraph/ontology."""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithOntology(build_py):
    def run(self):
        super().run()
        source = Path(__file__).parent / "ontology"
        target = Path(self.build_lib) / "sendgraph" / "ontology"
        target.mkdir(parents=True, exist_ok=True)
        for ttl in sorted(source.glob("*.ttl")):
            self.copy_file(str(ttl), str(target / ttl.name))


setup(cmdclass={"build_py": BuildWithOntology})
