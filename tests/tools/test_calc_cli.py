"""`nuri calc`: one answer line and exit 0; a Korean reason on stderr and a non-zero exit on refusal."""

from __future__ import annotations

from typer.testing import CliRunner

from cli.main import app

runner = CliRunner()


def test_calc_prints_one_line():
    result = runner.invoke(app, ["calc", "3억 5천만 원의 15%는 얼마야?"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "3억 5천만 원의 15% = 52,500,000 (5,250만)\n"


def test_words_without_quotes_are_joined():
    result = runner.invoke(app, ["calc", "100만", "원에서", "20%", "할인"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "100만 원에서 20% 할인 = 800,000 (80만)"


def test_a_negative_number_after_double_dash():
    result = runner.invoke(app, ["calc", "--", "-5 + 3"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "-5 + 3 = -2"


def test_refusal_exits_non_zero_with_a_korean_reason():
    result = runner.invoke(app, ["calc", "1/0"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "오류: 0으로 나눌 수 없습니다" in result.stderr


def test_an_attack_string_is_refused():
    result = runner.invoke(app, ["calc", "__import__('os').system('echo pwned')"])
    assert result.exit_code == 2 and "pwned" not in result.stdout
    assert "쓸 수 없습니다" in result.stderr


def test_not_math_is_refused():
    result = runner.invoke(app, ["calc", "오늘 날씨 어때?"])
    assert result.exit_code == 2 and "계산식이 아닙니다" in result.stderr
