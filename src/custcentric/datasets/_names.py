"""Word lists behind the sample company's synthetic people.

Names are combined at random from these lists, so every person in the sample company is
made up; e-mail addresses use the reserved ``example.*`` domains (RFC 2606) and telephone
numbers the fictional ``555`` area code. Changing a list changes the generated data: record
it in the changelog.
"""

from __future__ import annotations

from typing import Final

__all__ = ["EMAIL_DOMAINS", "FIRST_NAMES", "LAST_NAMES", "REGIONS"]

FIRST_NAMES: Final[tuple[str, ...]] = (
    "Aaron", "Abigail", "Adam", "Aisha", "Alan", "Alice", "Amara", "Amir", "Anna", "Arjun",
    "Beatrice", "Ben", "Bianca", "Carlos", "Caroline", "Chen", "Chloe", "Daniel", "Diana",
    "Dmitri", "Elena", "Elif", "Emil", "Emma", "Erik", "Fatima", "Felix", "Fiona", "Gabriel",
    "Grace", "Hana", "Hannah", "Hugo", "Ines", "Isaac", "Ivan", "Jakob", "James", "Jana",
    "Javier", "Julia", "Kai", "Karin", "Kenji", "Laila", "Lars", "Laura", "Leon", "Lina",
    "Lucas", "Maya", "Marco", "Maria", "Mateo", "Mei", "Mia", "Milan", "Nadia", "Noah",
    "Nora", "Olga", "Omar", "Oscar", "Paula", "Pedro", "Priya", "Rafael", "Rosa", "Ruth",
    "Samir", "Sara", "Sofia", "Stefan", "Tariq", "Tessa", "Theo", "Uma", "Victor", "Yara",
    "Yusuf", "Zoe",
)  # fmt: skip

LAST_NAMES: Final[tuple[str, ...]] = (
    "Abbott", "Adeyemi", "Alvarez", "Andersen", "Baker", "Bauer", "Becker", "Berg", "Brennan",
    "Campbell", "Castillo", "Chowdhury", "Costa", "Dahl", "Davies", "Delgado", "Duarte",
    "Eriksen", "Evans", "Farouk", "Fischer", "Fontaine", "Garcia", "Greene", "Haddad",
    "Hansen", "Hartmann", "Holm", "Ibrahim", "Ivanova", "Jansen", "Jensen", "Kaur", "Keller",
    "Khan", "Kowalski", "Larsen", "Laurent", "Lindqvist", "Lopez", "Marsh", "Martins",
    "Meyer", "Moreau", "Morris", "Nakamura", "Navarro", "Nielsen", "Novak", "Okafor",
    "Olsen", "Osei", "Park", "Patel", "Petrov", "Quinn", "Ramos", "Reyes", "Richter", "Rossi",
    "Sanders", "Schmidt", "Silva", "Singh", "Sorensen", "Tanaka", "Torres", "Turner",
    "Varga", "Vogel", "Wagner", "Walsh", "Weber", "Wong", "Yilmaz", "Young", "Zimmermann",
)  # fmt: skip

EMAIL_DOMAINS: Final[tuple[str, ...]] = (
    "example.com",
    "example.org",
    "example.net",
    "mail.example",
)

REGIONS: Final[tuple[str, ...]] = ("north", "south", "east", "west", "central")
