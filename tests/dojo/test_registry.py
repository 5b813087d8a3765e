"""The provider registry: the settings choose, a missing provider is a clear 503."""

from __future__ import annotations

import pytest

from dojo.errors import ServiceUnavailable
from dojo.providers.registry import Capability
from dojo.settings import get_settings


class _Greeter:
    def __init__(self, word: str) -> None:
        self.word = word


@pytest.fixture
def llm_provider(monkeypatch):
    def choose(name: str) -> None:
        monkeypatch.setenv("DOJO_LLM_PROVIDER", name)
        get_settings.cache_clear()

    yield choose
    get_settings.cache_clear()


def test_the_settings_choose_the_implementation_built_once(llm_provider):
    greet: Capability[_Greeter] = Capability("test.greet", kind="llm")
    built: list[str] = []

    def make(word: str):
        def factory() -> _Greeter:
            built.append(word)
            return _Greeter(word)

        return factory

    greet.register("openai", make("model"))
    greet.register("offline", make("rules"))
    llm_provider("offline")
    assert greet.get().word == "rules"
    assert greet.get() is greet.get()
    llm_provider("openai")
    assert greet.get().word == "model"
    assert built == ["rules", "model"]


def test_a_provider_this_deployment_lacks_is_a_clear_503(llm_provider):
    greet: Capability[_Greeter] = Capability("test.only-model", kind="llm")
    greet.register("openai", lambda: _Greeter("model"))
    llm_provider("offline")
    assert not greet.available()
    with pytest.raises(ServiceUnavailable) as raised:
        greet.get()
    assert raised.value.status_code == 503
    assert "DOJO_LLM_PROVIDER" in raised.value.message
