"""Whose photo a downloaded file is, by the name in its file name: only the whole name
is sure; a name inside a longer one is for staff to check."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from imhcard.batch.photo_folder import PhotoFolder, name_clue, words
from imhcard.batch.photo_match import PhotoRow, plan_photos

LINK = "https://drive.google.com/open?id=1AbCdEfGhIjKlMnOpQrStUvWxYz{}"


def folder_of(tmp_path: Path, *names: str) -> PhotoFolder:
    for name in names:
        Image.new("RGB", (40, 40)).save(tmp_path / name)
    return PhotoFolder(tmp_path)


def test_a_name_inside_a_longer_account_name_is_flagged(tmp_path: Path) -> None:
    folder = folder_of(tmp_path, "IMG_1 - Mary Ann Smith.jpg", "IMG_4 - Anne Marie Lee.jpg")
    plan = plan_photos(folder, [PhotoRow(2, LINK.format(1), "Mary Smith"),
                                PhotoRow(3, LINK.format(2), "Marie Lee")])
    assert {n: f.name for n, f in plan.chosen.items()} == {
        2: "IMG_1 - Mary Ann Smith.jpg", 3: "IMG_4 - Anne Marie Lee.jpg"}
    assert plan.partly == {2, 3}


@pytest.mark.parametrize("file", [
    "IMG_4 - Marie Lee.jpg", "IMG_4 - MARIE LÉE.jpg", "Marie Lee.jpg", "IMG_4411 Marie Lee.jpg",
    "PXL_20260601 - marie  lee.jpg", "Marie_Lee.jpg", "image - Marie Lee (1).jpg",
])
def test_the_whole_name_alone_is_sure(tmp_path: Path, file: str) -> None:
    folder = folder_of(tmp_path, file)
    plan = plan_photos(folder, [PhotoRow(2, LINK.format(1), "Marie Lee")])
    assert 2 in plan.chosen and plan.partly == set()


@pytest.mark.parametrize("file", [
    "IMG_4 - Anne Marie Lee.jpg", "Anne Marie Lee.jpg", "IMG_4 Anne Marie Lee.jpg",
    "Rose Marie Lee.jpg", "Marie Lee Byrne.jpg",
])
def test_a_longer_name_is_at_best_part_of_it(tmp_path: Path, file: str) -> None:
    folder = folder_of(tmp_path, file)
    assert name_clue(folder.files[0], words("Marie Lee")) < 2

