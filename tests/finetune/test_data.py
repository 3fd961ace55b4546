"""Prompt masking, padding and the batch order (README, "Fine-tuning (QLoRA)")."""

from __future__ import annotations

from tiny_data import tiny_rows

from mechuri.finetune.data import IGNORE, BatchPlan, collate, collate_packed, encode, encode_all, pack
from mechuri.llm.prompts import instruction_prompt


def test_labels_are_ignored_exactly_on_the_prompt(tiny_tokenizer) -> None:
    row = {"instruction": "점심 메뉴 추천", "input": "", "output": "따뜻한 국물 요리 어때요 ?"}
    item = encode(row, tiny_tokenizer)
    prompt = tiny_tokenizer(instruction_prompt(row["instruction"]))["input_ids"]
    answer = tiny_tokenizer(" " + row["output"], add_special_tokens=False)["input_ids"]
    assert list(item.input_ids) == [*prompt, *answer, tiny_tokenizer.eos_token_id]
    assert list(item.labels) == [IGNORE] * len(prompt) + [*answer, tiny_tokenizer.eos_token_id]


def test_collate_pads_to_the_longest_row_with_ignored_labels(tiny_tokenizer) -> None:
    items, _ = encode_all(tiny_rows(4), tiny_tokenizer, 64)
    batch = collate(items, pad_id=tiny_tokenizer.pad_token_id)
    longest = max(len(i) for i in items)
    assert batch["input_ids"].shape == (4, longest)  # not max_seq_len
    for row, item in enumerate(items):
        assert batch["attention_mask"][row].tolist() == [1] * len(item) + [0] * (longest - len(item))
        assert batch["labels"][row].tolist() == list(item.labels) + [IGNORE] * (longest - len(item))


def test_rows_longer_than_max_seq_len_are_skipped_whole(tiny_tokenizer) -> None:
    items, skipped = encode_all(tiny_rows(6), tiny_tokenizer, 12)
    assert skipped > 0 and all(len(i) <= 12 for i in items)


def test_length_grouping_pads_less_and_the_order_is_reproducible(tiny_tokenizer) -> None:
    items, _ = encode_all(tiny_rows(48), tiny_tokenizer, 64)

    def padding(plan: BatchPlan) -> int:
        return sum(max(len(i) for i in b) * len(b) - sum(len(i) for i in b) for b in plan.epoch(0))

    grouped = BatchPlan(items, 4, "length_grouped", seed=1, max_seq_len=64, group_buckets=4)
    plain = BatchPlan(items, 4, "random", seed=1, max_seq_len=64)
    assert padding(grouped) < padding(plain)
    again = BatchPlan(items, 4, "length_grouped", seed=1, max_seq_len=64, group_buckets=4)
    assert grouped.epoch(3) == again.epoch(3)
    stream = grouped.batches()
    first = [next(stream) for _ in range(15)]
    assert next(grouped.batches(skip=10)) == first[10]


def test_packing_fills_rows_and_restarts_positions(tiny_tokenizer) -> None:
    items, _ = encode_all(tiny_rows(12), tiny_tokenizer, 64)
    rows = pack(items, range(len(items)), 40)
    assert sum(len(r) for r in rows) == len(items)
    assert all(sum(len(i) for i in r) <= 40 for r in rows)
    batch = collate_packed(rows[:2], pad_id=tiny_tokenizer.pad_token_id)
    first = rows[0]
    assert batch["position_ids"][0, :len(first[0])].tolist() == list(range(len(first[0])))
    assert batch["position_ids"][0, len(first[0])] == 0  # the next example starts again
    assert int((batch["labels"][0] != IGNORE).sum()) == sum(i.answer_tokens for i in first)


def test_packing_fills_rows_better_than_greedy_packing(tiny_tokenizer) -> None:
    items, _ = encode_all(tiny_rows(48), tiny_tokenizer, 64)
    order = list(range(len(items)))
    greedy, used = 1, 0  # rows that packing in order, closing a row at the first misfit, would need
    for item in items:
        if used + len(item) > 40:
            greedy, used = greedy + 1, 0
        used += len(item)
    rows = pack(items, order, 40)
    assert len(rows) < greedy and all(sum(len(i) for i in row) <= 40 for row in rows)
    plan = BatchPlan(items, 4, "packing", seed=1, max_seq_len=40)
    assert sorted(len(i) for b in plan.epoch(2) for r in b for i in r) == sorted(len(i) for i in items)
