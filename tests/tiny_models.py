"""A tiny random-init GPT-NeoX (the architecture of Polyglot-ko / KoAlpaca) with a word-level Korean
tokenizer, saved as a Hugging Face folder: the LLM and training tests load it through the real
transformers/peft/bitsandbytes code paths without downloading anything."""

from __future__ import annotations

from pathlib import Path

TINY_WORDS = ["###", "질문", ":", "답변", "메추리", "점심", "저녁", "추천", "메뉴", "오늘", "맛있게", "드세요", "어때요", "좋아요", "든든한", "가벼운", "국물", "요리", "밥", "면", "한식", "따뜻한", "한", "그릇", "으로", "골라", "봤어요", "사실", "사용자", "메시지", "-", ",", ".", "!", "?"]


def build_tiny_gpt_neox(folder: Path, *, chat_template: str | None = None) -> Path:
    """A 2-layer GPT-NeoX with a word-level Korean tokenizer, saved as a Hugging Face folder."""
    import torch
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import GPTNeoXConfig, GPTNeoXForCausalLM, PreTrainedTokenizerFast

    vocab = {"[UNK]": 0, "<|endoftext|>": 1, **{word: i + 2 for i, word in enumerate(dict.fromkeys(TINY_WORDS))}}
    tokenizer = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    tokenizer.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    fast = PreTrainedTokenizerFast(tokenizer_object=tokenizer, unk_token="[UNK]", eos_token="<|endoftext|>",
                                   pad_token="<|endoftext|>")
    if chat_template:
        fast.chat_template = chat_template
    config = GPTNeoXConfig(vocab_size=len(vocab), hidden_size=64, num_hidden_layers=2, num_attention_heads=4,
                           intermediate_size=128, max_position_embeddings=512, bos_token_id=1, eos_token_id=1)
    torch.manual_seed(0)
    GPTNeoXForCausalLM(config).save_pretrained(folder)
    fast.save_pretrained(folder)
    return folder
