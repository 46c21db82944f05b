"""The wheel holds every file sendgraph needs: installed alone in a fresh virtual environment, it builds data/."""

import subprocess
import sys
import sysconfig
import venv
import zipfile

from support.paths import DATA, ROOT


def test_the_wheel_holds_every_data_file_and_builds_data(tmp_path):
    wheels = tmp_path / "wheels"
    # sdist first, then the wheel from the unpacked sdist: nothing left in the checkout (build/) gets in.
    done = subprocess.run([sys.executable, "-m", "build", "--outdir", str(wheels), str(ROOT)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "absent from the `packages` configuration" not in done.stdout + done.stderr, done.stdout
    (wheel,) = wheels.glob("sendgraph-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {f"sendgraph/ontology/{p.name}" for p in (ROOT / "ontology").glob("*.ttl")}
    shipped |= {f"sendgraph/stores/queries/{p.name}" for p in (ROOT / "sendgraph" / "stores" / "queries").glob("*.rq")}
    shipped |= {"sendgraph/data/gazetteer.csv"}
    shipped |= {p.relative_to(ROOT).as_posix() for p in (ROOT / "sendgraph").rglob("*.py")}
    assert shipped <= names, sorted(shipped - names)

    # A fresh environment with only the wheel of sendgraph; its dependencies are this environment's.
    env_dir = tmp_path / "env"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    target = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                            capture_output=True, text=True, check=True).stdout.strip()
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    dependencies = sysconfig.get_paths()["purelib"]  # this venv's packages, without its editable sendgraph
    work = tmp_path / "elsewhere"  # not the checkout: the ontology must come from the installed package
    work.mkdir()
    code = ("import sys; from sendgraph.cli import main; import sendgraph; "
            "assert sendgraph.__file__.startswith(sys.argv[1]), sendgraph.__file__; "
            "sys.argv = ['sendgraph', 'build', sys.argv[2], '-o', 'out.ttl']; main()")
    done = subprocess.run([str(python), "-c", code, target, str(DATA)], cwd=work, capture_output=True, text=True,
                          env={"PYTHONPATH": dependencies, "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    text = (work / "out.ttl").read_text(encoding="utf-8")
    assert "Middlesbrough" in text and "sg:AreaSendInspection" in text
    assert "Wrote out.ttl" in done.stdout
