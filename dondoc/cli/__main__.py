from dondoc.cli.main import run

run()
