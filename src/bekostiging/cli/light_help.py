"""typer's rich help, without importing what this CLI never shows with it.

`typer.rich_utils` (imported when a help page or a usage error is drawn) imports
`rich.markdown` (markdown-it) and `rich.traceback` (pygments) at its top, for the
"markdown" markup mode and for pretty tracebacks. This CLI uses the "rich" markup mode
and has pretty tracebacks off, yet the two imports cost about 0.045 s of CPU, a quarter of
`bekostiging --help`. `install()` has `typer.rich_utils` import stand-ins instead: a
class named as the real one, that imports the real module when it is first used (called,
or an attribute read), so a help in markdown or a pretty traceback still works, only
later. Any other name of those modules is the real one at once. The stand-ins are seen
by `typer.rich_utils` alone: they leave `sys.modules` when it has been imported, so
anything else that imports `rich.markdown` gets the real module.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import sys
from types import ModuleType
from typing import Any

TARGET = "typer.rich_utils"
DEFERRED = {"rich.markdown": ("Markdown",), "rich.traceback": ("Traceback",)}


def install() -> None:
    """Have the next import of `typer.rich_utils` use the stand-ins (once; no-op if it is
    imported already)."""
    if TARGET not in sys.modules and not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder())


def _real(module: str) -> ModuleType:
    """The real module, imported now (the stand-in, if still listed, set aside meanwhile)."""
    listed = sys.modules.get(module)
    if isinstance(listed, _StandIn):
        del sys.modules[module]
        try:
            return importlib.import_module(module)
        finally:
            if module not in sys.modules:  # pragma: no cover - the import failed
                sys.modules[module] = listed
    return importlib.import_module(module)


class _Deferring(type):
    def __getattr__(cls, name: str) -> Any:  # a class attribute (`Traceback.from_exception`)
        if name.startswith("__"):  # what typing asks of a class in an annotation, at import
            raise AttributeError(name)
        return getattr(getattr(_real(cls._module), cls.__name__), name)


def _deferred(module: str, name: str) -> type:
    def new(cls: type, *args: Any, **kwargs: Any) -> Any:  # an instance of the real class
        return getattr(_real(module), name)(*args, **kwargs)

    namespace = {"_module": module, "__module__": module, "__qualname__": name, "__new__": new}
    return _Deferring(name, (), namespace)


class _StandIn(ModuleType):
    """A module whose listed classes are deferred and whose other names are real."""

    def __init__(self, name: str, classes: tuple[str, ...]) -> None:
        super().__init__(name)
        for cls in classes:
            setattr(self, cls, _deferred(name, cls))

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # what the import system asks of a module
            raise AttributeError(name)
        return getattr(_real(self.__name__), name)


class _Finder:  # a meta path finder (the protocol; importlib.abc would cost an import)
    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        if fullname != TARGET:
            return None
        sys.meta_path.remove(self)
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is not None and spec.loader is not None:
            spec.loader = _Loader(spec.loader)
        return spec


class _Loader:  # the loader protocol, around typer's own loader
    def __init__(self, loader: Any) -> None:
        self.loader = loader

    def create_module(self, spec: Any) -> Any:
        return self.loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        placed = [name for name in DEFERRED if name not in sys.modules]
        for name in placed:
            sys.modules[name] = _StandIn(name, DEFERRED[name])
        try:
            self.loader.exec_module(module)
        finally:
            for name in placed:
                if isinstance(sys.modules.get(name), _StandIn):
                    del sys.modules[name]
