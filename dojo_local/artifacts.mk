# The one recipe of every artifact `sam build` makes (template.yaml: Metadata BuildMethod makefile).
# shared/Makefile (the layer) and each functions/<flow>/Makefile include it, so any
# `build-<LogicalId>` target builds the folder of the Makefile that sam build names. What goes in
# is defined once, in dojo_local/artifacts.py, which `dojo package` uses too.
# sam build runs make in a scratch copy of the folder but passes this Makefile's path in the
# repository, which is how the folder and the repository are found: build without a container.
ARTIFACT_SOURCE := $(dir $(abspath $(firstword $(MAKEFILE_LIST))))
REPOSITORY := $(abspath $(dir $(abspath $(lastword $(MAKEFILE_LIST))))..)
PYTHON ?= python3.12
PIP ?= $(PYTHON) -m pip
# e.g. ARTIFACT_FLAGS=--site=<site-packages> takes the distributions from there instead of pip
ARTIFACT_FLAGS ?=

build-%:
	PYTHONPATH="$(REPOSITORY)" $(PYTHON) -P -m dojo_local.artifacts --pip "$(PIP)" $(ARTIFACT_FLAGS) \
	  "$(ARTIFACT_SOURCE)" "$(ARTIFACTS_DIR)"
