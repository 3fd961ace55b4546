"""``mechuri nlu …``: the learned understanding layer (issue 14)."""

from __future__ import annotations

import typer

nlu_app = typer.Typer(help="메시지 이해(NLU) 학습 모델.", no_args_is_help=True)


@nlu_app.command("train")
def train_command() -> None:
    """학습 데이터를 다시 만들고 선형 모델을 학습해 패키지 안에 저장 (src/mechuri/nlu/learned/model.npz).

    Needs a source checkout (it reads tests/nlu/data) and scikit-learn; takes about a minute on two cores.
    The result is deterministic for the same data and library versions.
    """
    from mechuri.nlu.learned import train

    train.main()
