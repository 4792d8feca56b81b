"""DataLoaders as Saleor writes them: one instance per request (kept on ``info.context``),
``batch_load`` answers a whole page's keys in one query."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from promise import Promise
from promise.dataloader import DataLoader as BaseLoader


class DataLoader(BaseLoader):
    context_key = ""

    def __new__(cls, context: Any) -> DataLoader:
        loaders = vars(context).setdefault("dataloaders", {})
        key = cls.context_key or cls.__name__
        if key not in loaders:
            loader = super().__new__(cls)
            loader.__init__(context)  # type: ignore[misc]
            loader._initialised = True
            loaders[key] = loader
        return loaders[key]

    def __init__(self, context: Any) -> None:
        if getattr(self, "_initialised", False):
            return
        self.context = context
        super().__init__()

    def batch_load_fn(self, keys: list[Any]) -> Promise:
        return Promise.resolve(self.batch_load(keys))

    def batch_load(self, keys: list[Any]) -> Iterable[Any]:
        raise NotImplementedError
