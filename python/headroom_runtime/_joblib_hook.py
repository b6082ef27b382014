"""Makes `joblib.parallel_backend("headroom")` work after `import headroom_runtime` without importing
joblib up front (trial processes that never use joblib should not pay for it): the backend is
registered as soon as joblib is imported, or at once when it already is.
"""
import importlib.abc
import sys


def register():
    import joblib

    from ._joblib_backend import HeadroomBackend

    joblib.register_parallel_backend("headroom", HeadroomBackend)


class _AfterJoblib(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path, target=None):
        if fullname != "joblib":
            return None
        sys.meta_path.remove(self)
        import importlib.util

        spec = importlib.util.find_spec("joblib")
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader
        exec_module = loader.exec_module

        def exec_and_register(module):
            exec_module(module)
            try:
                register()
            except Exception:
                pass  # a joblib too old for the backend: joblib itself still works

        loader.exec_module = exec_and_register
        return spec


def install():
    if "joblib" in sys.modules:
        try:
            register()
        except Exception:
            pass
    elif not any(isinstance(f, _AfterJoblib) for f in sys.meta_path):
        sys.meta_path.insert(0, _AfterJoblib())
