"""Dependency aliases: routes reach the runtime's parts through these, tests override them."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from service.config import Settings
from service.engines.registry import EngineRegistry
from service.pipeline.article import ArticlePipeline
from service.runtime import Runtime


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def get_pipeline(request: Request) -> ArticlePipeline:
    return get_runtime(request).pipeline


def get_registry(request: Request) -> EngineRegistry:
    return get_runtime(request).registry


def get_settings(request: Request) -> Settings:
    return get_runtime(request).settings


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
PipelineDep = Annotated[ArticlePipeline, Depends(get_pipeline)]
RegistryDep = Annotated[EngineRegistry, Depends(get_registry)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
