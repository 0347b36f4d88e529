"""`python -m hegui ...`, and the driver script spark-submit runs on a cluster."""

from hegui.cli import run

if __name__ == "__main__":
    run()
