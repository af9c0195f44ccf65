"""The `hf` engine: transformers `AutoModelForSeq2SeqLM` (Marian, T5/mT5, BART, M2M100/NLLB).

The reference path and the source of CTranslate2 conversions. torch and transformers are imported
when a model is loaded, never when this module is imported.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from service.config import Settings
from service.engines.base import EngineInfo
from service.engines.seq2seq_common import (
    DecodeOptions,
    GenerationDefaults,
    Seq2SeqSummarizer,
    Seq2SeqTranslator,
    model_limit,
)


def load_hf(model_dir: Path, settings: Settings) -> tuple[Any, Any]:
    """(tokenizer, model) from a local Hugging Face directory; never reaches the network."""
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    if settings.intra_threads > 0:
        torch.set_num_threads(settings.intra_threads)
    with warnings.catch_warnings():
        # MarianTokenizer asks for sacremoses, which it only uses in a method we never call.
        warnings.filterwarnings("ignore", message=".*sacremoses.*")
        tokenizer = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
    model = AutoModelForSeq2SeqLM.from_pretrained(str(model_dir), local_files_only=True)
    # The engines cut each output to its own budget; an EOS forced at the batch's max length
    # would make a sentence's translation depend on the longest sentence beside it.
    model.generation_config.forced_eos_token_id = None
    model.to(settings.device)
    model.eval()
    return tokenizer, model


class HfBackend:
    """Token ids in, text out, through `model.generate`."""

    def __init__(self, model_dir: Path, settings: Settings) -> None:
        import torch

        self._torch = torch
        self.device = settings.device
        self.tokenizer, self.model = load_hf(model_dir, settings)
        config = self.model.config
        limit = model_limit(
            getattr(self.tokenizer, "model_max_length", None),
            getattr(config, "max_position_embeddings", None),
            getattr(config, "n_positions", None),
        )
        self.max_input_tokens = limit
        self.max_output_tokens = limit

    def encode(self, texts: Sequence[str]) -> list[list[int]]:
        # verbose=False: inputs longer than the model reads are split afterwards, not warned about.
        return [list(ids) for ids in self.tokenizer(list(texts), verbose=False)["input_ids"]]

    def generate(self, batch: Sequence[Sequence[int]], options: DecodeOptions) -> list[str]:
        return [hypotheses[0] for hypotheses in self.generate_nbest(batch, options, 1)]

    def generate_nbest(
        self, batch: Sequence[Sequence[int]], options: DecodeOptions, count: int
    ) -> list[list[str]]:
        padded = self.tokenizer.pad(
            {"input_ids": [list(ids) for ids in batch]}, return_tensors="pt"
        )
        kwargs: dict[str, Any] = {
            "num_beams": options.beam_size,
            "do_sample": False,
            "max_new_tokens": options.max_length,
        }
        # Only what applies, so that generate() does not warn about unused flags.
        if count > 1:
            kwargs["num_return_sequences"] = count
        if options.beam_size > 1:
            kwargs["length_penalty"] = options.length_penalty
        if options.min_length > 0:
            kwargs["min_new_tokens"] = options.min_length
        if options.no_repeat_ngram_size > 0:
            kwargs["no_repeat_ngram_size"] = options.no_repeat_ngram_size
        if options.repetition_penalty != 1.0:
            kwargs["repetition_penalty"] = options.repetition_penalty
        with self._torch.inference_mode():
            output = self.model.generate(
                input_ids=padded["input_ids"].to(self.device),
                attention_mask=padded["attention_mask"].to(self.device),
                **kwargs,
            )
        # Rows come `count` per input, best first. Row 0 of each output is the decoder start
        # token; cut each to its input's own budget after it.
        rows = [
            row[1 : 1 + options.item_limit(i // count)] for i, row in enumerate(output.tolist())
        ]
        texts = list(self.tokenizer.batch_decode(rows, skip_special_tokens=True))
        return [texts[start : start + count] for start in range(0, len(texts), count)]

    def close(self) -> None:
        self.model = None


class HfTranslator(Seq2SeqTranslator[int]):
    def __init__(
        self,
        source: str,
        target: str,
        model_dir: Path,
        settings: Settings,
        *,
        name: str | None = None,
        revision: str = "main",
    ) -> None:
        info = EngineInfo("hf", name or Path(model_dir).name, revision)
        super().__init__(HfBackend(Path(model_dir), settings), info, source, target, settings)


class HfSummarizer(Seq2SeqSummarizer[int]):
    def __init__(
        self,
        lang: str,
        model_dir: Path,
        settings: Settings,
        *,
        prefix: str = "",
        min_length: int = 0,
        max_length: int = 0,
        max_input_tokens: int = 0,
        defaults: GenerationDefaults | None = None,
        name: str | None = None,
        revision: str = "main",
    ) -> None:
        info = EngineInfo("hf", name or Path(model_dir).name, revision)
        super().__init__(
            HfBackend(Path(model_dir), settings),
            info,
            lang,
            settings,
            prefix=prefix,
            min_length=min_length,
            max_length=max_length,
            max_input_tokens=max_input_tokens,
            defaults=defaults,
        )
