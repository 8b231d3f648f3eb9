"""Synthetic but realistic procedures for benchmarks (``flask catalogue generate N``).

Codes are ``DEMO-…`` and flagged ``code_is_demo``: they are never shown as national codes.
"""

from __future__ import annotations

import json
import random
from typing import Any

from app import search
from app.catalogue_io import DEMO_DIR
from app.extensions import db
from app.models import Procedure
from app.models.procedure import utcnow
from app.schema import normalise
from app.vocab import AgencyRole, ChannelKind, FeeKind, FeeUnit, OnlineClass

ACTIONS = ["Cấp", "Cấp lại", "Cấp đổi", "Gia hạn", "Điều chỉnh", "Đăng ký", "Xác nhận",
           "Công nhận", "Thẩm định", "Phê duyệt", "Thu hồi", "Chấm dứt", "Đăng ký thay đổi",
           "Cấp bản sao", "Chứng thực", "Hỗ trợ", "Giải quyết", "Xóa đăng ký"]
OBJECTS = ["giấy phép kinh doanh dịch vụ karaoke", "chứng chỉ hành nghề dược",
           "giấy chứng nhận đủ điều kiện an toàn thực phẩm", "giấy phép xây dựng công trình",
           "giấy chứng nhận quyền sử dụng đất", "giấy phép khai thác nước mặt",
           "giấy phép hoạt động giáo dục", "chứng nhận hợp tác xã", "thẻ hướng dẫn viên du lịch",
           "giấy phép lái xe", "giấy xác nhận cư trú", "trích lục hộ tịch",
           "giấy phép đăng ký tàu cá", "chứng nhận cơ sở sản xuất giống cây trồng",
           "giấy phép biểu diễn nghệ thuật", "bản sao văn bằng, chứng chỉ",
           "hồ sơ trợ cấp người có công", "giấy chứng nhận nhà ở", "giấy phép quảng cáo",
           "hợp đồng chuyển nhượng quyền sử dụng đất", "thông báo tổ chức lễ hội",
           "chứng chỉ hành nghề kiến trúc", "giấy phép vận tải", "bảo hiểm xã hội tự nguyện",
           "giấy phép môi trường", "giấy phép kinh doanh rượu", "hộ kinh doanh cá thể",
           "quyết định giao đất", "giấy phép sử dụng vật liệu nổ", "sổ hộ nghèo"]
QUALIFIERS = ["", "cho cá nhân", "cho tổ chức", "cho doanh nghiệp", "đối với người nước ngoài",
              "trong trường hợp bị mất", "do hết hạn", "đối với công trình cấp III, cấp IV",
              "tại cấp xã", "theo hình thức trực tuyến", "cho hộ gia đình",
              "đối với người có công với cách mạng"]
DOCUMENTS = ["Tờ khai theo mẫu", "Bản sao giấy tờ tùy thân", "Giấy ủy quyền (nếu có)",
             "Bản chính giấy tờ đã cấp", "Ảnh 4x6", "Giấy xác nhận của UBND cấp xã",
             "Bản vẽ thiết kế", "Hợp đồng có chứng thực", "Đơn đề nghị"]
UNITS = [FeeUnit.CASE, FeeUnit.PAGE, FeeUnit.COPY, FeeUnit.PERMIT, FeeUnit.CARD]


def _procedure(n: int, rng: random.Random, fields: list[str], agencies: list[str]) -> dict:
    name = " ".join(w for w in (rng.choice(ACTIONS), rng.choice(OBJECTS),
                                rng.choice(QUALIFIERS)) if w)
    amount = rng.choice([0, 0, 10_000, 15_000, 50_000, 100_000, 200_000, None])
    days = rng.choice([1, 3, 5, 7, 10, 15, 20, 30])
    fee = {"name": "Lệ phí", "kind": FeeKind.LE_PHI, "amount": amount,
           "unit": rng.choice(UNITS)}
    online_class = rng.choice(list(OnlineClass))
    channels = [{"kind": ChannelKind.IN_PERSON, "processing_time": f"{days:02d} ngày làm việc",
                 "processing_days": days, "fees": [fee]}]
    if online_class != OnlineClass.NONE:
        channels.append({"kind": ChannelKind.ONLINE,
                         "processing_time": f"{days:02d} ngày làm việc",
                         "processing_days": days, "fees": [fee]})
    # Through the schema, so a synthetic record has every key a real one has.
    return normalise({
        "code": f"DEMO-{n:06d}", "code_is_demo": True, "official_name": name,
        "plain_name": "", "slug": f"demo-{n:06d}", "field": rng.choice(fields),
        "level": rng.choice(["xa", "tinh"]), "online_class": online_class,
        "legacy_level": {OnlineClass.FULL: 4, OnlineClass.PARTIAL: 3}.get(online_class),
        "applicant_types": rng.sample(["Công dân Việt Nam", "Tổ chức", "Doanh nghiệp",
                                       "Người nước ngoài"], 2),
        "description": f"{name} theo quy định hiện hành (dữ liệu tổng hợp để đo hiệu năng).",
        "result": rng.choice(OBJECTS).capitalize(), "conditions": "Không",
        "number_of_sets": "01 bộ", "keywords": [rng.choice(OBJECTS)],
        "steps": [f"Bước {i}: {t}" for i, t in enumerate(
            ["Nộp hồ sơ tại Bộ phận một cửa hoặc trực tuyến.",
             "Cán bộ kiểm tra, tiếp nhận hồ sơ và hẹn ngày trả kết quả.",
             "Nhận kết quả tại Bộ phận một cửa hoặc qua bưu chính."], start=1)],
        "channels": channels,
        "document_cases": [{"title": "", "documents": [
            {"name": d, "originals": 1, "copies": rng.choice([0, 1])}
            for d in rng.sample(DOCUMENTS, 3)]}],
        "agencies": [{"agency": rng.choice(agencies), "role": AgencyRole.PERFORMING}],
        "source": "Dữ liệu tổng hợp (không phải thủ tục thật)",
    })


def generate_catalogue(count: int, seed: int = 42) -> dict[str, Any]:
    """The demo reference data plus ``count`` synthetic procedures (deterministic per seed)."""
    reference = json.loads((DEMO_DIR / "00-catalogue.json").read_text(encoding="utf-8"))
    rng = random.Random(seed)
    fields = [f["slug"] for f in reference["fields"]]
    agencies = [a["slug"] for a in reference["agencies"]]
    reference["procedures"] = [_procedure(n, rng, fields, agencies) for n in range(1, count + 1)]
    return reference


def mark_keyword(proc_id: int, token: str, mark: str) -> str:
    """A synthetic publish, for the load benchmark and the multi-process tests: put ``token`` in
    the procedure's keywords (in place of an earlier one starting with ``mark``), queue it for
    search in the same transaction and commit; returns its code. Under load another process
    may commit between the read and the write: run it through ``app.dbretry.retry_when_busy``."""
    proc = db.session.get(Procedure, proc_id)
    proc.keywords = [k for k in proc.keywords or [] if not k.startswith(mark)] + [token]
    proc.updated_at = utcnow()
    search.index(proc.id)
    db.session.commit()
    return proc.code
