/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The persona field catalogue.  Synonyms are written the way real files
 * write their headers (exports of POS systems, CRMs, mailing tools); the
 * auto-mapper folds them (case, accents, spaces, punctuation) before
 * comparing, so "E-mail Address" and "email address" need one entry only,
 * but word orders ("Opt-in SMS" / "SMS Opt In") each need their own. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pd-field.h"

#define S(...) ((const char * const []) { __VA_ARGS__, NULL })

static const char * const customer_type_choices[] = { "medical", "recreational", NULL };
static const char * const person_type_choices[] = { "lead", "customer", NULL };

/* Indexed by PdFieldId: the order of the enum. */
static const PdFieldInfo fields[PD_FIELD_N_BUILTIN] = {
  { PD_FIELD_FIRST_NAME, "first_name", N_("First name"), PD_FIELD_TYPE_TEXT,
    FALSE, FALSE, PD_FIELD_NONE,
    S ("First", "Firstname", "Given Name", "Forename", "FName", "First Names",
       "Customer First Name", "Contact First Name", "Prenom", "Nombre", "Vorname"),
    NULL, "Maria" },
  { PD_FIELD_LAST_NAME, "last_name", N_("Last name"), PD_FIELD_TYPE_TEXT,
    FALSE, FALSE, PD_FIELD_NONE,
    S ("Last", "Lastname", "Surname", "Family Name", "LName", "Second Name",
       "Customer Last Name", "Contact Last Name", "Nom", "Apellido", "Apellidos",
       "Nachname"),
    NULL, "García" },
  { PD_FIELD_EMAIL, "email", N_("Email"), PD_FIELD_TYPE_EMAIL,
    TRUE, TRUE, PD_FIELD_NONE,
    S ("E-mail", "E-mail Address", "Email Address", "Email Addresses", "Emails",
       "Mail", "Email ID", "Primary Email", "Customer Email", "Contact Email",
       "emailAddress", "E-mail 1", "Correo", "Correo Electronico"),
    NULL, "maria.garcia@example.com" },
  { PD_FIELD_PHONE, "phone", N_("Phone"), PD_FIELD_TYPE_PHONE,
    TRUE, TRUE, PD_FIELD_NONE,
    S ("Phone Number", "Phone Numbers", "Phones", "Mobile", "Mobile Phone",
       "Mobile Number", "Mobile No", "Cell", "Cell Phone", "Cellphone",
       "Cell Number", "Telephone", "Telephone Number", "Tel", "SMS", "SMS Number",
       "Text Number", "phoneNumber", "Primary Phone", "Contact Number",
       "Contact Phone", "Customer Phone", "Phone No", "Telefono", "Handy"),
    NULL, "(202) 555-0143" },
  { PD_FIELD_EXTERNAL_ID, "external_id", N_("External ID"), PD_FIELD_TYPE_IDENTIFIER,
    FALSE, TRUE, PD_FIELD_NONE,
    S ("Customer ID", "Customer Number", "Customer No", "Customer Code",
       "Member ID", "Member Number", "Membership Number", "Client ID",
       "Client Number", "Account ID", "Account Number", "Loyalty ID",
       "Loyalty Number", "Loyalty Card", "Card Number", "POS ID", "Ext ID",
       "External Reference", "Customer Reference", "ID", "customerId"),
    NULL, "000123" },
  { PD_FIELD_CITY, "city", N_("City"), PD_FIELD_TYPE_TEXT,
    FALSE, FALSE, PD_FIELD_NONE,
    S ("Town", "City/Town", "Town/City", "Locality", "Municipality", "Ciudad",
       "Ville", "Stadt"),
    NULL, "Denver" },
  { PD_FIELD_BIRTH_DATE, "birth_date", N_("Birth date"), PD_FIELD_TYPE_DATE,
    FALSE, FALSE, PD_FIELD_NONE,
    S ("Birthday", "Birthdate", "Date of Birth", "DOB", "Birth Day", "Born",
       "Fecha de Nacimiento"),
    NULL, "1990-02-13" },
  { PD_FIELD_POINTS, "points", N_("Points"), PD_FIELD_TYPE_INTEGER,
    FALSE, FALSE, PD_FIELD_NONE,
    S ("Loyalty Points", "Points Balance", "Point Balance", "Reward Points",
       "Rewards Points", "Rewards", "Pts", "Points Earned", "Loyalty Balance"),
    NULL, "120" },
  { PD_FIELD_LOYALTY, "loyalty", N_("Loyalty"), PD_FIELD_TYPE_BOOLEAN,
    FALSE, FALSE, PD_FIELD_NONE,
    S ("Loyalty Member", "Loyalty Program", "Loyalty Enrolled", "In Loyalty",
       "Loyalty Status", "Enrolled", "Rewards Member", "Member"),
    NULL, "TRUE" },
  { PD_FIELD_EMAIL_OPT_IN, "email_opt_in", N_("Email opt-in"), PD_FIELD_TYPE_BOOLEAN,
    FALSE, FALSE, PD_FIELD_NONE,
    S ("Opt-in Email", "Email Opt In", "Email Consent", "Email Subscribed",
       "Email Subscription", "Email Marketing", "Accepts Email Marketing",
       "Accepts Marketing", "Marketing Email", "Marketing Opt-in", "Newsletter",
       "Subscribed", "emailOptIn"),
    NULL, "TRUE" },
  { PD_FIELD_SMS_OPT_IN, "sms_opt_in", N_("SMS opt-in"), PD_FIELD_TYPE_BOOLEAN,
    FALSE, FALSE, PD_FIELD_NONE,
    S ("Opt-in SMS", "SMS Opt In", "Text Opt-in", "Opt-in Text", "Text Opt In",
       "SMS Consent", "Text Consent", "SMS Subscribed", "SMS Subscription",
       "SMS Marketing", "Accepts SMS Marketing", "Text Marketing", "smsOptIn"),
    NULL, "TRUE" },
  { PD_FIELD_SMS_OPT_OUT, "sms_opt_out", N_("Explicit SMS opt-out"), PD_FIELD_TYPE_BOOLEAN,
    FALSE, FALSE, PD_FIELD_NONE,
    S ("Explicit SMS Opt-out", "SMS Opt Out", "Opt-out SMS", "Unsubscribed SMS",
       "SMS Unsubscribed", "Text Opt-out", "Opt-out Text", "SMS Stop",
       "Do Not Text", "smsOptOut"),
    NULL, "FALSE" },
  { PD_FIELD_CUSTOMER_TYPE, "customer_type", N_("Customer type"), PD_FIELD_TYPE_CHOICE,
    FALSE, FALSE, PD_FIELD_NONE,
    S ("Customer Category", "Medical/Recreational", "Med/Rec", "Patient Type",
       "Customer Kind", "customerType"),
    customer_type_choices, "recreational" },
  { PD_FIELD_PERSON_TYPE, "person_type", N_("Person type"), PD_FIELD_TYPE_CHOICE,
    FALSE, FALSE, PD_FIELD_NONE,
    S ("Lead or Customer", "Lead/Customer", "Contact Type", "Lifecycle Stage",
       "Persona Type", "personType"),
    person_type_choices, "customer" },
  { PD_FIELD_SIGNUP_DATE, "signup_date", N_("Signup date"), PD_FIELD_TYPE_DATE,
    FALSE, FALSE, PD_FIELD_NONE,
    S ("Sign-up Date", "Sign Up Date", "Signup", "Signed Up", "Join Date",
       "Joined", "Date Joined", "Joined On", "Member Since", "Customer Since",
       "Registration Date", "Registered", "Enrollment Date", "Enrolment Date",
       "Subscription Date", "Created", "Created At", "Date Created", "signupDate"),
    NULL, "2024-05-01" },
  { PD_FIELD_SIGNUP_OVERRIDE_DATE, "signup_override_date", N_("Signup override date"),
    PD_FIELD_TYPE_DATE, FALSE, FALSE, PD_FIELD_SIGNUP_DATE,
    S ("Signup Date Override", "Override Signup Date", "Signup Override",
       "Sign-up Date Override", "Join Date Override"),
    NULL, "" },
  { PD_FIELD_FAVORITE_STORE, "favorite_store", N_("Favorite store"), PD_FIELD_TYPE_TEXT,
    FALSE, FALSE, PD_FIELD_NONE,
    S ("Favourite Store", "Preferred Store", "Home Store", "Store",
       "Store Name", "Preferred Location", "Home Location", "Shop",
       "Dispensary", "Branch"),
    NULL, "Downtown" },
  { PD_FIELD_FAVORITE_STORE_OVERRIDE, "favorite_store_override", N_("Favorite store override"),
    PD_FIELD_TYPE_TEXT, FALSE, FALSE, PD_FIELD_FAVORITE_STORE,
    S ("Favourite Store Override", "Override Favorite Store", "Override Favourite Store",
       "Preferred Store Override", "Home Store Override", "Store Override"),
    NULL, "" },
  { PD_FIELD_TAGS, "tags", N_("Tags"), PD_FIELD_TYPE_TAGS,
    TRUE, FALSE, PD_FIELD_NONE,
    S ("Tag", "Labels", "Label", "Groups", "Segments", "Segment", "Lists", "Keywords"),
    NULL, "vip,newsletter" },
  { PD_FIELD_FACEBOOK, "facebook", N_("Facebook"), PD_FIELD_TYPE_IDENTIFIER,
    FALSE, TRUE, PD_FIELD_NONE,
    S ("Facebook ID", "Facebook URL", "Facebook Profile", "Facebook Username",
       "FB", "FB ID", "Messenger", "Messenger ID"),
    NULL, "" },
  { PD_FIELD_WHATSAPP, "whatsapp", N_("WhatsApp"), PD_FIELD_TYPE_IDENTIFIER,
    FALSE, TRUE, PD_FIELD_NONE,
    S ("WhatsApp Number", "WhatsApp ID", "WhatsApp Phone", "WA", "WA Number"),
    NULL, "" },
  { PD_FIELD_INSTAGRAM, "instagram", N_("Instagram"), PD_FIELD_TYPE_IDENTIFIER,
    FALSE, TRUE, PD_FIELD_NONE,
    S ("Instagram Handle", "Instagram Username", "Instagram ID", "Instagram URL",
       "IG", "IG Handle", "Insta"),
    NULL, "" },
  { PD_FIELD_TELEGRAM, "telegram", N_("Telegram"), PD_FIELD_TYPE_IDENTIFIER,
    FALSE, TRUE, PD_FIELD_NONE,
    S ("Telegram Username", "Telegram Handle", "Telegram ID", "TG"),
    NULL, "" },
  { PD_FIELD_VIBER, "viber", N_("Viber"), PD_FIELD_TYPE_IDENTIFIER,
    FALSE, TRUE, PD_FIELD_NONE,
    S ("Viber Number", "Viber ID", "Viber Phone"),
    NULL, "" },
  { PD_FIELD_LINKEDIN, "linkedin", N_("LinkedIn"), PD_FIELD_TYPE_IDENTIFIER,
    FALSE, TRUE, PD_FIELD_NONE,
    S ("LinkedIn URL", "LinkedIn Profile", "LinkedIn ID", "Linked In"),
    NULL, "" },
  { PD_FIELD_TWITTER, "twitter", N_("Twitter"), PD_FIELD_TYPE_IDENTIFIER,
    FALSE, TRUE, PD_FIELD_NONE,
    S ("Twitter Handle", "Twitter Username", "Twitter ID", "Twitter URL",
       "X Handle", "X Username", "Twitter/X"),
    NULL, "" },
  { PD_FIELD_YOUTUBE, "youtube", N_("YouTube"), PD_FIELD_TYPE_IDENTIFIER,
    FALSE, TRUE, PD_FIELD_NONE,
    S ("YouTube Channel", "YouTube URL", "YouTube ID", "YT"),
    NULL, "" },
  { PD_FIELD_WEB, "web", N_("Web"), PD_FIELD_TYPE_IDENTIFIER,
    FALSE, TRUE, PD_FIELD_NONE,
    S ("Website", "Web Site", "Website URL", "URL", "Homepage", "Home Page",
       "Web Page", "Web Address", "Site"),
    NULL, "https://example.com/maria" },
  /* Exports of POS systems and mailing tools often have one name column:
   * it fills first and last name where the file has no column of its own
   * for them. */
  { PD_FIELD_FULL_NAME, "full_name", N_("Full name"), PD_FIELD_TYPE_FULL_NAME,
    FALSE, FALSE, PD_FIELD_NONE,
    S ("Name", "Full Name", "Fullname", "Customer Name", "Client Name", "Contact Name",
       "Member Name", "Display Name", "Nombre Completo", "Nom Complet", "Vollständiger Name"),
    NULL, "" },
};

guint
pd_field_get_count (void)
{
  return PD_FIELD_N_BUILTIN;
}

/**
 * pd_field_get_info:
 * @id: a built-in field id
 *
 * Returns: (transfer none) (nullable): the field's description, or %NULL
 *   for PD_FIELD_NONE, PD_FIELD_ATTRIBUTE and anything out of range
 */
const PdFieldInfo *
pd_field_get_info (PdFieldId id)
{
  if (id < 0 || id >= PD_FIELD_N_BUILTIN)
    return NULL;
  return &fields[id];
}

/**
 * pd_field_lookup:
 * @key: a field key such as "email"
 *
 * Keys are compared exactly (they are identifiers, not headers); custom
 * attribute keys ("attribute:NAME") are not in the table and give %NULL.
 *
 * Returns: (transfer none) (nullable): the field
 */
const PdFieldInfo *
pd_field_lookup (const char *key)
{
  if (key == NULL)
    return NULL;
  for (guint i = 0; i < PD_FIELD_N_BUILTIN; i++)
    if (strcmp (fields[i].key, key) == 0)
      return &fields[i];
  return NULL;
}

/* "attribute:NAME" with a non-blank NAME. */
gboolean
pd_field_is_attribute_key (const char *key)
{
  const char *name;

  if (key == NULL || !g_str_has_prefix (key, PD_ATTRIBUTE_PREFIX))
    return FALSE;
  for (name = key + strlen (PD_ATTRIBUTE_PREFIX); *name; name++)
    if (!g_ascii_isspace (*name))
      return TRUE;
  return FALSE;
}

/* Stable strings for JSON and the CLI: do not translate. */
const char *
pd_field_type_to_string (PdFieldType type)
{
  switch (type)
    {
    case PD_FIELD_TYPE_TEXT:       return "text";
    case PD_FIELD_TYPE_IDENTIFIER: return "identifier";
    case PD_FIELD_TYPE_EMAIL:      return "email";
    case PD_FIELD_TYPE_PHONE:      return "phone";
    case PD_FIELD_TYPE_DATE:       return "date";
    case PD_FIELD_TYPE_INTEGER:    return "integer";
    case PD_FIELD_TYPE_BOOLEAN:    return "boolean";
    case PD_FIELD_TYPE_CHOICE:     return "choice";
    case PD_FIELD_TYPE_TAGS:       return "tags";
    case PD_FIELD_TYPE_FULL_NAME:  return "full_name";
    default:                       return "unknown";
    }
}
