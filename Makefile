# Two commands for a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format install provision bench messages clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch is pinned to the CPU build in the ml extra; a bare "torch" would pull CUDA.
	$(BIN)/pip install --quiet -e '.[ml,dev]'
	touch $(STAMP)

install: $(STAMP) locale/zh_Hans/LC_MESSAGES/django.mo

# System packages (Chromium for the browser tests, gettext for translations): bin/provision.
provision:
	@bin/provision

locale/zh_Hans/LC_MESSAGES/django.mo: locale/zh_Hans/LC_MESSAGES/django.po | provision $(STAMP)
	$(BIN)/python manage.py compilemessages --ignore '.venv' -v 0

run: install
	@bin/run

test: provision install lint
	DJANGO_ENV=test $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l zh_Hans --ignore '.venv/*' --ignore 'var/*'

bench: install
	$(BIN)/python -m ml bench
	$(BIN)/python -m bench

clean:
	rm -rf var
