"""Contains all the data models used in inputs/outputs.

Each model is imported on first use (PEP 562 ``__getattr__``): importing every one of them up front would
cost most of ``import casebook_async``. Type checkers see the plain imports below.
Generated from scripts/templates/models_init.py.jinja.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .assignment_user import AssignmentUser
    from .assignment_user_attributes import AssignmentUserAttributes
    from .assignment_user_collection_document import AssignmentUserCollectionDocument
    from .assignment_user_create_attributes import AssignmentUserCreateAttributes
    from .assignment_user_create_data import AssignmentUserCreateData
    from .assignment_user_create_request import AssignmentUserCreateRequest
    from .assignment_user_document import AssignmentUserDocument
    from .assignment_user_relationships import AssignmentUserRelationships
    from .assignment_user_type import AssignmentUserType
    from .assignment_user_update_attributes import AssignmentUserUpdateAttributes
    from .assignment_user_update_data import AssignmentUserUpdateData
    from .assignment_user_update_request import AssignmentUserUpdateRequest
    from .attachment import Attachment
    from .attachment_attributes import AttachmentAttributes
    from .attachment_attributes_record_type import AttachmentAttributesRecordType
    from .attachment_attributes_upload_status import AttachmentAttributesUploadStatus
    from .attachment_collection_document import AttachmentCollectionDocument
    from .attachment_create_attributes import AttachmentCreateAttributes
    from .attachment_create_attributes_record_type import (
        AttachmentCreateAttributesRecordType,
    )
    from .attachment_create_data import AttachmentCreateData
    from .attachment_create_request import AttachmentCreateRequest
    from .attachment_document import AttachmentDocument
    from .attachment_type import AttachmentType
    from .attachment_update_attributes import AttachmentUpdateAttributes
    from .attachment_update_attributes_record_type import (
        AttachmentUpdateAttributesRecordType,
    )
    from .attachment_update_data import AttachmentUpdateData
    from .attachment_update_request import AttachmentUpdateRequest
    from .case import Case
    from .case_attributes import CaseAttributes
    from .case_attributes_status import CaseAttributesStatus
    from .case_collection_document import CaseCollectionDocument
    from .case_create_attributes import CaseCreateAttributes
    from .case_create_attributes_status import CaseCreateAttributesStatus
    from .case_create_data import CaseCreateData
    from .case_create_request import CaseCreateRequest
    from .case_document import CaseDocument
    from .case_relationships import CaseRelationships
    from .case_type import CaseType
    from .case_update_attributes import CaseUpdateAttributes
    from .case_update_attributes_status import CaseUpdateAttributesStatus
    from .case_update_data import CaseUpdateData
    from .case_update_request import CaseUpdateRequest
    from .collection_meta import CollectionMeta
    from .error import Error
    from .error_document import ErrorDocument
    from .error_source import ErrorSource
    from .get_assignment_user_fields import GetAssignmentUserFields
    from .get_attachment_fields import GetAttachmentFields
    from .get_case_fields import GetCaseFields
    from .get_goal_fields import GetGoalFields
    from .get_involvement_fields import GetInvolvementFields
    from .get_location_fields import GetLocationFields
    from .get_note_fields import GetNoteFields
    from .get_person_fields import GetPersonFields
    from .get_provider_fields import GetProviderFields
    from .get_report_fields import GetReportFields
    from .get_service_offering_fields import GetServiceOfferingFields
    from .get_staff_member_fields import GetStaffMemberFields
    from .get_unit_of_work_fields import GetUnitOfWorkFields
    from .get_user_fields import GetUserFields
    from .goal import Goal
    from .goal_attributes import GoalAttributes
    from .goal_attributes_status import GoalAttributesStatus
    from .goal_collection_document import GoalCollectionDocument
    from .goal_create_attributes import GoalCreateAttributes
    from .goal_create_attributes_status import GoalCreateAttributesStatus
    from .goal_create_data import GoalCreateData
    from .goal_create_request import GoalCreateRequest
    from .goal_document import GoalDocument
    from .goal_relationships import GoalRelationships
    from .goal_type import GoalType
    from .goal_update_attributes import GoalUpdateAttributes
    from .goal_update_attributes_status import GoalUpdateAttributesStatus
    from .goal_update_data import GoalUpdateData
    from .goal_update_request import GoalUpdateRequest
    from .involvement import Involvement
    from .involvement_attributes import InvolvementAttributes
    from .involvement_collection_document import InvolvementCollectionDocument
    from .involvement_create_attributes import InvolvementCreateAttributes
    from .involvement_create_data import InvolvementCreateData
    from .involvement_create_request import InvolvementCreateRequest
    from .involvement_document import InvolvementDocument
    from .involvement_relationships import InvolvementRelationships
    from .involvement_type import InvolvementType
    from .involvement_update_attributes import InvolvementUpdateAttributes
    from .involvement_update_data import InvolvementUpdateData
    from .involvement_update_request import InvolvementUpdateRequest
    from .json_api_version import JsonApiVersion
    from .link_object import LinkObject
    from .list_assignment_users_fields import ListAssignmentUsersFields
    from .list_assignment_users_filter import ListAssignmentUsersFilter
    from .list_attachments_fields import ListAttachmentsFields
    from .list_attachments_filter import ListAttachmentsFilter
    from .list_cases_fields import ListCasesFields
    from .list_cases_filter import ListCasesFilter
    from .list_goals_fields import ListGoalsFields
    from .list_goals_filter import ListGoalsFilter
    from .list_involvements_fields import ListInvolvementsFields
    from .list_involvements_filter import ListInvolvementsFilter
    from .list_locations_fields import ListLocationsFields
    from .list_locations_filter import ListLocationsFilter
    from .list_notes_fields import ListNotesFields
    from .list_notes_filter import ListNotesFilter
    from .list_people_fields import ListPeopleFields
    from .list_people_filter import ListPeopleFilter
    from .list_providers_fields import ListProvidersFields
    from .list_providers_filter import ListProvidersFilter
    from .list_reports_fields import ListReportsFields
    from .list_reports_filter import ListReportsFilter
    from .list_service_offerings_fields import ListServiceOfferingsFields
    from .list_service_offerings_filter import ListServiceOfferingsFilter
    from .list_staff_fields import ListStaffFields
    from .list_staff_filter import ListStaffFilter
    from .list_units_of_work_fields import ListUnitsOfWorkFields
    from .list_units_of_work_filter import ListUnitsOfWorkFilter
    from .list_users_fields import ListUsersFields
    from .list_users_filter import ListUsersFilter
    from .location import Location
    from .location_attributes import LocationAttributes
    from .location_collection_document import LocationCollectionDocument
    from .location_create_attributes import LocationCreateAttributes
    from .location_create_data import LocationCreateData
    from .location_create_request import LocationCreateRequest
    from .location_document import LocationDocument
    from .location_relationships import LocationRelationships
    from .location_type import LocationType
    from .location_update_attributes import LocationUpdateAttributes
    from .location_update_data import LocationUpdateData
    from .location_update_request import LocationUpdateRequest
    from .meta import Meta
    from .note import Note
    from .note_attributes import NoteAttributes
    from .note_attributes_record_type import NoteAttributesRecordType
    from .note_collection_document import NoteCollectionDocument
    from .note_create_attributes import NoteCreateAttributes
    from .note_create_attributes_record_type import NoteCreateAttributesRecordType
    from .note_create_data import NoteCreateData
    from .note_create_request import NoteCreateRequest
    from .note_document import NoteDocument
    from .note_type import NoteType
    from .note_update_attributes import NoteUpdateAttributes
    from .note_update_attributes_record_type import NoteUpdateAttributesRecordType
    from .note_update_data import NoteUpdateData
    from .note_update_request import NoteUpdateRequest
    from .o_auth_error import OAuthError
    from .o_auth_error_error import OAuthErrorError
    from .pagination_links import PaginationLinks
    from .person import Person
    from .person_attributes import PersonAttributes
    from .person_attributes_hispanic_or_latino import PersonAttributesHispanicOrLatino
    from .person_collection_document import PersonCollectionDocument
    from .person_create_attributes import PersonCreateAttributes
    from .person_create_attributes_hispanic_or_latino import (
        PersonCreateAttributesHispanicOrLatino,
    )
    from .person_create_data import PersonCreateData
    from .person_create_request import PersonCreateRequest
    from .person_document import PersonDocument
    from .person_type import PersonType
    from .person_update_attributes import PersonUpdateAttributes
    from .person_update_attributes_hispanic_or_latino import (
        PersonUpdateAttributesHispanicOrLatino,
    )
    from .person_update_data import PersonUpdateData
    from .person_update_request import PersonUpdateRequest
    from .provider import Provider
    from .provider_attributes import ProviderAttributes
    from .provider_collection_document import ProviderCollectionDocument
    from .provider_create_attributes import ProviderCreateAttributes
    from .provider_create_data import ProviderCreateData
    from .provider_create_request import ProviderCreateRequest
    from .provider_document import ProviderDocument
    from .provider_relationships import ProviderRelationships
    from .provider_type import ProviderType
    from .provider_update_attributes import ProviderUpdateAttributes
    from .provider_update_data import ProviderUpdateData
    from .provider_update_request import ProviderUpdateRequest
    from .relationship_links import RelationshipLinks
    from .report import Report
    from .report_attributes import ReportAttributes
    from .report_attributes_status import ReportAttributesStatus
    from .report_collection_document import ReportCollectionDocument
    from .report_create_attributes import ReportCreateAttributes
    from .report_create_attributes_status import ReportCreateAttributesStatus
    from .report_create_data import ReportCreateData
    from .report_create_request import ReportCreateRequest
    from .report_document import ReportDocument
    from .report_relationships import ReportRelationships
    from .report_type import ReportType
    from .report_update_attributes import ReportUpdateAttributes
    from .report_update_attributes_status import ReportUpdateAttributesStatus
    from .report_update_data import ReportUpdateData
    from .report_update_request import ReportUpdateRequest
    from .resource import Resource
    from .resource_attributes import ResourceAttributes
    from .resource_identifier import ResourceIdentifier
    from .resource_links import ResourceLinks
    from .resource_relationships import ResourceRelationships
    from .service_offering import ServiceOffering
    from .service_offering_attributes import ServiceOfferingAttributes
    from .service_offering_collection_document import ServiceOfferingCollectionDocument
    from .service_offering_create_attributes import ServiceOfferingCreateAttributes
    from .service_offering_create_data import ServiceOfferingCreateData
    from .service_offering_create_request import ServiceOfferingCreateRequest
    from .service_offering_document import ServiceOfferingDocument
    from .service_offering_relationships import ServiceOfferingRelationships
    from .service_offering_type import ServiceOfferingType
    from .service_offering_update_attributes import ServiceOfferingUpdateAttributes
    from .service_offering_update_data import ServiceOfferingUpdateData
    from .service_offering_update_request import ServiceOfferingUpdateRequest
    from .staff_member import StaffMember
    from .staff_member_attributes import StaffMemberAttributes
    from .staff_member_collection_document import StaffMemberCollectionDocument
    from .staff_member_create_attributes import StaffMemberCreateAttributes
    from .staff_member_create_data import StaffMemberCreateData
    from .staff_member_create_request import StaffMemberCreateRequest
    from .staff_member_document import StaffMemberDocument
    from .staff_member_relationships import StaffMemberRelationships
    from .staff_member_type import StaffMemberType
    from .staff_member_update_attributes import StaffMemberUpdateAttributes
    from .staff_member_update_data import StaffMemberUpdateData
    from .staff_member_update_request import StaffMemberUpdateRequest
    from .to_many_relationship import ToManyRelationship
    from .to_one_relationship import ToOneRelationship
    from .to_one_relationship_data_type_0 import ToOneRelationshipDataType0
    from .token_request import TokenRequest
    from .token_request_grant_type import TokenRequestGrantType
    from .token_response import TokenResponse
    from .unit_of_work import UnitOfWork
    from .unit_of_work_attributes import UnitOfWorkAttributes
    from .unit_of_work_attributes_record_type import UnitOfWorkAttributesRecordType
    from .unit_of_work_attributes_status import UnitOfWorkAttributesStatus
    from .unit_of_work_collection_document import UnitOfWorkCollectionDocument
    from .unit_of_work_create_attributes import UnitOfWorkCreateAttributes
    from .unit_of_work_create_attributes_record_type import (
        UnitOfWorkCreateAttributesRecordType,
    )
    from .unit_of_work_create_attributes_status import UnitOfWorkCreateAttributesStatus
    from .unit_of_work_create_data import UnitOfWorkCreateData
    from .unit_of_work_create_request import UnitOfWorkCreateRequest
    from .unit_of_work_document import UnitOfWorkDocument
    from .unit_of_work_type import UnitOfWorkType
    from .unit_of_work_update_attributes import UnitOfWorkUpdateAttributes
    from .unit_of_work_update_attributes_record_type import (
        UnitOfWorkUpdateAttributesRecordType,
    )
    from .unit_of_work_update_attributes_status import UnitOfWorkUpdateAttributesStatus
    from .unit_of_work_update_data import UnitOfWorkUpdateData
    from .unit_of_work_update_request import UnitOfWorkUpdateRequest
    from .user import User
    from .user_attributes import UserAttributes
    from .user_collection_document import UserCollectionDocument
    from .user_create_attributes import UserCreateAttributes
    from .user_create_data import UserCreateData
    from .user_create_request import UserCreateRequest
    from .user_document import UserDocument
    from .user_type import UserType
    from .user_update_attributes import UserUpdateAttributes
    from .user_update_data import UserUpdateData
    from .user_update_request import UserUpdateRequest

# The module defining each model.
_MODULES = {
    "AssignmentUser": ".assignment_user",
    "AssignmentUserAttributes": ".assignment_user_attributes",
    "AssignmentUserCollectionDocument": ".assignment_user_collection_document",
    "AssignmentUserCreateAttributes": ".assignment_user_create_attributes",
    "AssignmentUserCreateData": ".assignment_user_create_data",
    "AssignmentUserCreateRequest": ".assignment_user_create_request",
    "AssignmentUserDocument": ".assignment_user_document",
    "AssignmentUserRelationships": ".assignment_user_relationships",
    "AssignmentUserType": ".assignment_user_type",
    "AssignmentUserUpdateAttributes": ".assignment_user_update_attributes",
    "AssignmentUserUpdateData": ".assignment_user_update_data",
    "AssignmentUserUpdateRequest": ".assignment_user_update_request",
    "Attachment": ".attachment",
    "AttachmentAttributes": ".attachment_attributes",
    "AttachmentAttributesRecordType": ".attachment_attributes_record_type",
    "AttachmentAttributesUploadStatus": ".attachment_attributes_upload_status",
    "AttachmentCollectionDocument": ".attachment_collection_document",
    "AttachmentCreateAttributes": ".attachment_create_attributes",
    "AttachmentCreateAttributesRecordType": ".attachment_create_attributes_record_type",
    "AttachmentCreateData": ".attachment_create_data",
    "AttachmentCreateRequest": ".attachment_create_request",
    "AttachmentDocument": ".attachment_document",
    "AttachmentType": ".attachment_type",
    "AttachmentUpdateAttributes": ".attachment_update_attributes",
    "AttachmentUpdateAttributesRecordType": ".attachment_update_attributes_record_type",
    "AttachmentUpdateData": ".attachment_update_data",
    "AttachmentUpdateRequest": ".attachment_update_request",
    "Case": ".case",
    "CaseAttributes": ".case_attributes",
    "CaseAttributesStatus": ".case_attributes_status",
    "CaseCollectionDocument": ".case_collection_document",
    "CaseCreateAttributes": ".case_create_attributes",
    "CaseCreateAttributesStatus": ".case_create_attributes_status",
    "CaseCreateData": ".case_create_data",
    "CaseCreateRequest": ".case_create_request",
    "CaseDocument": ".case_document",
    "CaseRelationships": ".case_relationships",
    "CaseType": ".case_type",
    "CaseUpdateAttributes": ".case_update_attributes",
    "CaseUpdateAttributesStatus": ".case_update_attributes_status",
    "CaseUpdateData": ".case_update_data",
    "CaseUpdateRequest": ".case_update_request",
    "CollectionMeta": ".collection_meta",
    "Error": ".error",
    "ErrorDocument": ".error_document",
    "ErrorSource": ".error_source",
    "GetAssignmentUserFields": ".get_assignment_user_fields",
    "GetAttachmentFields": ".get_attachment_fields",
    "GetCaseFields": ".get_case_fields",
    "GetGoalFields": ".get_goal_fields",
    "GetInvolvementFields": ".get_involvement_fields",
    "GetLocationFields": ".get_location_fields",
    "GetNoteFields": ".get_note_fields",
    "GetPersonFields": ".get_person_fields",
    "GetProviderFields": ".get_provider_fields",
    "GetReportFields": ".get_report_fields",
    "GetServiceOfferingFields": ".get_service_offering_fields",
    "GetStaffMemberFields": ".get_staff_member_fields",
    "GetUnitOfWorkFields": ".get_unit_of_work_fields",
    "GetUserFields": ".get_user_fields",
    "Goal": ".goal",
    "GoalAttributes": ".goal_attributes",
    "GoalAttributesStatus": ".goal_attributes_status",
    "GoalCollectionDocument": ".goal_collection_document",
    "GoalCreateAttributes": ".goal_create_attributes",
    "GoalCreateAttributesStatus": ".goal_create_attributes_status",
    "GoalCreateData": ".goal_create_data",
    "GoalCreateRequest": ".goal_create_request",
    "GoalDocument": ".goal_document",
    "GoalRelationships": ".goal_relationships",
    "GoalType": ".goal_type",
    "GoalUpdateAttributes": ".goal_update_attributes",
    "GoalUpdateAttributesStatus": ".goal_update_attributes_status",
    "GoalUpdateData": ".goal_update_data",
    "GoalUpdateRequest": ".goal_update_request",
    "Involvement": ".involvement",
    "InvolvementAttributes": ".involvement_attributes",
    "InvolvementCollectionDocument": ".involvement_collection_document",
    "InvolvementCreateAttributes": ".involvement_create_attributes",
    "InvolvementCreateData": ".involvement_create_data",
    "InvolvementCreateRequest": ".involvement_create_request",
    "InvolvementDocument": ".involvement_document",
    "InvolvementRelationships": ".involvement_relationships",
    "InvolvementType": ".involvement_type",
    "InvolvementUpdateAttributes": ".involvement_update_attributes",
    "InvolvementUpdateData": ".involvement_update_data",
    "InvolvementUpdateRequest": ".involvement_update_request",
    "JsonApiVersion": ".json_api_version",
    "LinkObject": ".link_object",
    "ListAssignmentUsersFields": ".list_assignment_users_fields",
    "ListAssignmentUsersFilter": ".list_assignment_users_filter",
    "ListAttachmentsFields": ".list_attachments_fields",
    "ListAttachmentsFilter": ".list_attachments_filter",
    "ListCasesFields": ".list_cases_fields",
    "ListCasesFilter": ".list_cases_filter",
    "ListGoalsFields": ".list_goals_fields",
    "ListGoalsFilter": ".list_goals_filter",
    "ListInvolvementsFields": ".list_involvements_fields",
    "ListInvolvementsFilter": ".list_involvements_filter",
    "ListLocationsFields": ".list_locations_fields",
    "ListLocationsFilter": ".list_locations_filter",
    "ListNotesFields": ".list_notes_fields",
    "ListNotesFilter": ".list_notes_filter",
    "ListPeopleFields": ".list_people_fields",
    "ListPeopleFilter": ".list_people_filter",
    "ListProvidersFields": ".list_providers_fields",
    "ListProvidersFilter": ".list_providers_filter",
    "ListReportsFields": ".list_reports_fields",
    "ListReportsFilter": ".list_reports_filter",
    "ListServiceOfferingsFields": ".list_service_offerings_fields",
    "ListServiceOfferingsFilter": ".list_service_offerings_filter",
    "ListStaffFields": ".list_staff_fields",
    "ListStaffFilter": ".list_staff_filter",
    "ListUnitsOfWorkFields": ".list_units_of_work_fields",
    "ListUnitsOfWorkFilter": ".list_units_of_work_filter",
    "ListUsersFields": ".list_users_fields",
    "ListUsersFilter": ".list_users_filter",
    "Location": ".location",
    "LocationAttributes": ".location_attributes",
    "LocationCollectionDocument": ".location_collection_document",
    "LocationCreateAttributes": ".location_create_attributes",
    "LocationCreateData": ".location_create_data",
    "LocationCreateRequest": ".location_create_request",
    "LocationDocument": ".location_document",
    "LocationRelationships": ".location_relationships",
    "LocationType": ".location_type",
    "LocationUpdateAttributes": ".location_update_attributes",
    "LocationUpdateData": ".location_update_data",
    "LocationUpdateRequest": ".location_update_request",
    "Meta": ".meta",
    "Note": ".note",
    "NoteAttributes": ".note_attributes",
    "NoteAttributesRecordType": ".note_attributes_record_type",
    "NoteCollectionDocument": ".note_collection_document",
    "NoteCreateAttributes": ".note_create_attributes",
    "NoteCreateAttributesRecordType": ".note_create_attributes_record_type",
    "NoteCreateData": ".note_create_data",
    "NoteCreateRequest": ".note_create_request",
    "NoteDocument": ".note_document",
    "NoteType": ".note_type",
    "NoteUpdateAttributes": ".note_update_attributes",
    "NoteUpdateAttributesRecordType": ".note_update_attributes_record_type",
    "NoteUpdateData": ".note_update_data",
    "NoteUpdateRequest": ".note_update_request",
    "OAuthError": ".o_auth_error",
    "OAuthErrorError": ".o_auth_error_error",
    "PaginationLinks": ".pagination_links",
    "Person": ".person",
    "PersonAttributes": ".person_attributes",
    "PersonAttributesHispanicOrLatino": ".person_attributes_hispanic_or_latino",
    "PersonCollectionDocument": ".person_collection_document",
    "PersonCreateAttributes": ".person_create_attributes",
    "PersonCreateAttributesHispanicOrLatino": ".person_create_attributes_hispanic_or_latino",
    "PersonCreateData": ".person_create_data",
    "PersonCreateRequest": ".person_create_request",
    "PersonDocument": ".person_document",
    "PersonType": ".person_type",
    "PersonUpdateAttributes": ".person_update_attributes",
    "PersonUpdateAttributesHispanicOrLatino": ".person_update_attributes_hispanic_or_latino",
    "PersonUpdateData": ".person_update_data",
    "PersonUpdateRequest": ".person_update_request",
    "Provider": ".provider",
    "ProviderAttributes": ".provider_attributes",
    "ProviderCollectionDocument": ".provider_collection_document",
    "ProviderCreateAttributes": ".provider_create_attributes",
    "ProviderCreateData": ".provider_create_data",
    "ProviderCreateRequest": ".provider_create_request",
    "ProviderDocument": ".provider_document",
    "ProviderRelationships": ".provider_relationships",
    "ProviderType": ".provider_type",
    "ProviderUpdateAttributes": ".provider_update_attributes",
    "ProviderUpdateData": ".provider_update_data",
    "ProviderUpdateRequest": ".provider_update_request",
    "RelationshipLinks": ".relationship_links",
    "Report": ".report",
    "ReportAttributes": ".report_attributes",
    "ReportAttributesStatus": ".report_attributes_status",
    "ReportCollectionDocument": ".report_collection_document",
    "ReportCreateAttributes": ".report_create_attributes",
    "ReportCreateAttributesStatus": ".report_create_attributes_status",
    "ReportCreateData": ".report_create_data",
    "ReportCreateRequest": ".report_create_request",
    "ReportDocument": ".report_document",
    "ReportRelationships": ".report_relationships",
    "ReportType": ".report_type",
    "ReportUpdateAttributes": ".report_update_attributes",
    "ReportUpdateAttributesStatus": ".report_update_attributes_status",
    "ReportUpdateData": ".report_update_data",
    "ReportUpdateRequest": ".report_update_request",
    "Resource": ".resource",
    "ResourceAttributes": ".resource_attributes",
    "ResourceIdentifier": ".resource_identifier",
    "ResourceLinks": ".resource_links",
    "ResourceRelationships": ".resource_relationships",
    "ServiceOffering": ".service_offering",
    "ServiceOfferingAttributes": ".service_offering_attributes",
    "ServiceOfferingCollectionDocument": ".service_offering_collection_document",
    "ServiceOfferingCreateAttributes": ".service_offering_create_attributes",
    "ServiceOfferingCreateData": ".service_offering_create_data",
    "ServiceOfferingCreateRequest": ".service_offering_create_request",
    "ServiceOfferingDocument": ".service_offering_document",
    "ServiceOfferingRelationships": ".service_offering_relationships",
    "ServiceOfferingType": ".service_offering_type",
    "ServiceOfferingUpdateAttributes": ".service_offering_update_attributes",
    "ServiceOfferingUpdateData": ".service_offering_update_data",
    "ServiceOfferingUpdateRequest": ".service_offering_update_request",
    "StaffMember": ".staff_member",
    "StaffMemberAttributes": ".staff_member_attributes",
    "StaffMemberCollectionDocument": ".staff_member_collection_document",
    "StaffMemberCreateAttributes": ".staff_member_create_attributes",
    "StaffMemberCreateData": ".staff_member_create_data",
    "StaffMemberCreateRequest": ".staff_member_create_request",
    "StaffMemberDocument": ".staff_member_document",
    "StaffMemberRelationships": ".staff_member_relationships",
    "StaffMemberType": ".staff_member_type",
    "StaffMemberUpdateAttributes": ".staff_member_update_attributes",
    "StaffMemberUpdateData": ".staff_member_update_data",
    "StaffMemberUpdateRequest": ".staff_member_update_request",
    "ToManyRelationship": ".to_many_relationship",
    "ToOneRelationship": ".to_one_relationship",
    "ToOneRelationshipDataType0": ".to_one_relationship_data_type_0",
    "TokenRequest": ".token_request",
    "TokenRequestGrantType": ".token_request_grant_type",
    "TokenResponse": ".token_response",
    "UnitOfWork": ".unit_of_work",
    "UnitOfWorkAttributes": ".unit_of_work_attributes",
    "UnitOfWorkAttributesRecordType": ".unit_of_work_attributes_record_type",
    "UnitOfWorkAttributesStatus": ".unit_of_work_attributes_status",
    "UnitOfWorkCollectionDocument": ".unit_of_work_collection_document",
    "UnitOfWorkCreateAttributes": ".unit_of_work_create_attributes",
    "UnitOfWorkCreateAttributesRecordType": ".unit_of_work_create_attributes_record_type",
    "UnitOfWorkCreateAttributesStatus": ".unit_of_work_create_attributes_status",
    "UnitOfWorkCreateData": ".unit_of_work_create_data",
    "UnitOfWorkCreateRequest": ".unit_of_work_create_request",
    "UnitOfWorkDocument": ".unit_of_work_document",
    "UnitOfWorkType": ".unit_of_work_type",
    "UnitOfWorkUpdateAttributes": ".unit_of_work_update_attributes",
    "UnitOfWorkUpdateAttributesRecordType": ".unit_of_work_update_attributes_record_type",
    "UnitOfWorkUpdateAttributesStatus": ".unit_of_work_update_attributes_status",
    "UnitOfWorkUpdateData": ".unit_of_work_update_data",
    "UnitOfWorkUpdateRequest": ".unit_of_work_update_request",
    "User": ".user",
    "UserAttributes": ".user_attributes",
    "UserCollectionDocument": ".user_collection_document",
    "UserCreateAttributes": ".user_create_attributes",
    "UserCreateData": ".user_create_data",
    "UserCreateRequest": ".user_create_request",
    "UserDocument": ".user_document",
    "UserType": ".user_type",
    "UserUpdateAttributes": ".user_update_attributes",
    "UserUpdateData": ".user_update_data",
    "UserUpdateRequest": ".user_update_request",
}


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value  # later lookups are plain attribute reads
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_MODULES})


__all__ = (
    "AssignmentUser",
    "AssignmentUserAttributes",
    "AssignmentUserCollectionDocument",
    "AssignmentUserCreateAttributes",
    "AssignmentUserCreateData",
    "AssignmentUserCreateRequest",
    "AssignmentUserDocument",
    "AssignmentUserRelationships",
    "AssignmentUserType",
    "AssignmentUserUpdateAttributes",
    "AssignmentUserUpdateData",
    "AssignmentUserUpdateRequest",
    "Attachment",
    "AttachmentAttributes",
    "AttachmentAttributesRecordType",
    "AttachmentAttributesUploadStatus",
    "AttachmentCollectionDocument",
    "AttachmentCreateAttributes",
    "AttachmentCreateAttributesRecordType",
    "AttachmentCreateData",
    "AttachmentCreateRequest",
    "AttachmentDocument",
    "AttachmentType",
    "AttachmentUpdateAttributes",
    "AttachmentUpdateAttributesRecordType",
    "AttachmentUpdateData",
    "AttachmentUpdateRequest",
    "Case",
    "CaseAttributes",
    "CaseAttributesStatus",
    "CaseCollectionDocument",
    "CaseCreateAttributes",
    "CaseCreateAttributesStatus",
    "CaseCreateData",
    "CaseCreateRequest",
    "CaseDocument",
    "CaseRelationships",
    "CaseType",
    "CaseUpdateAttributes",
    "CaseUpdateAttributesStatus",
    "CaseUpdateData",
    "CaseUpdateRequest",
    "CollectionMeta",
    "Error",
    "ErrorDocument",
    "ErrorSource",
    "GetAssignmentUserFields",
    "GetAttachmentFields",
    "GetCaseFields",
    "GetGoalFields",
    "GetInvolvementFields",
    "GetLocationFields",
    "GetNoteFields",
    "GetPersonFields",
    "GetProviderFields",
    "GetReportFields",
    "GetServiceOfferingFields",
    "GetStaffMemberFields",
    "GetUnitOfWorkFields",
    "GetUserFields",
    "Goal",
    "GoalAttributes",
    "GoalAttributesStatus",
    "GoalCollectionDocument",
    "GoalCreateAttributes",
    "GoalCreateAttributesStatus",
    "GoalCreateData",
    "GoalCreateRequest",
    "GoalDocument",
    "GoalRelationships",
    "GoalType",
    "GoalUpdateAttributes",
    "GoalUpdateAttributesStatus",
    "GoalUpdateData",
    "GoalUpdateRequest",
    "Involvement",
    "InvolvementAttributes",
    "InvolvementCollectionDocument",
    "InvolvementCreateAttributes",
    "InvolvementCreateData",
    "InvolvementCreateRequest",
    "InvolvementDocument",
    "InvolvementRelationships",
    "InvolvementType",
    "InvolvementUpdateAttributes",
    "InvolvementUpdateData",
    "InvolvementUpdateRequest",
    "JsonApiVersion",
    "LinkObject",
    "ListAssignmentUsersFields",
    "ListAssignmentUsersFilter",
    "ListAttachmentsFields",
    "ListAttachmentsFilter",
    "ListCasesFields",
    "ListCasesFilter",
    "ListGoalsFields",
    "ListGoalsFilter",
    "ListInvolvementsFields",
    "ListInvolvementsFilter",
    "ListLocationsFields",
    "ListLocationsFilter",
    "ListNotesFields",
    "ListNotesFilter",
    "ListPeopleFields",
    "ListPeopleFilter",
    "ListProvidersFields",
    "ListProvidersFilter",
    "ListReportsFields",
    "ListReportsFilter",
    "ListServiceOfferingsFields",
    "ListServiceOfferingsFilter",
    "ListStaffFields",
    "ListStaffFilter",
    "ListUnitsOfWorkFields",
    "ListUnitsOfWorkFilter",
    "ListUsersFields",
    "ListUsersFilter",
    "Location",
    "LocationAttributes",
    "LocationCollectionDocument",
    "LocationCreateAttributes",
    "LocationCreateData",
    "LocationCreateRequest",
    "LocationDocument",
    "LocationRelationships",
    "LocationType",
    "LocationUpdateAttributes",
    "LocationUpdateData",
    "LocationUpdateRequest",
    "Meta",
    "Note",
    "NoteAttributes",
    "NoteAttributesRecordType",
    "NoteCollectionDocument",
    "NoteCreateAttributes",
    "NoteCreateAttributesRecordType",
    "NoteCreateData",
    "NoteCreateRequest",
    "NoteDocument",
    "NoteType",
    "NoteUpdateAttributes",
    "NoteUpdateAttributesRecordType",
    "NoteUpdateData",
    "NoteUpdateRequest",
    "OAuthError",
    "OAuthErrorError",
    "PaginationLinks",
    "Person",
    "PersonAttributes",
    "PersonAttributesHispanicOrLatino",
    "PersonCollectionDocument",
    "PersonCreateAttributes",
    "PersonCreateAttributesHispanicOrLatino",
    "PersonCreateData",
    "PersonCreateRequest",
    "PersonDocument",
    "PersonType",
    "PersonUpdateAttributes",
    "PersonUpdateAttributesHispanicOrLatino",
    "PersonUpdateData",
    "PersonUpdateRequest",
    "Provider",
    "ProviderAttributes",
    "ProviderCollectionDocument",
    "ProviderCreateAttributes",
    "ProviderCreateData",
    "ProviderCreateRequest",
    "ProviderDocument",
    "ProviderRelationships",
    "ProviderType",
    "ProviderUpdateAttributes",
    "ProviderUpdateData",
    "ProviderUpdateRequest",
    "RelationshipLinks",
    "Report",
    "ReportAttributes",
    "ReportAttributesStatus",
    "ReportCollectionDocument",
    "ReportCreateAttributes",
    "ReportCreateAttributesStatus",
    "ReportCreateData",
    "ReportCreateRequest",
    "ReportDocument",
    "ReportRelationships",
    "ReportType",
    "ReportUpdateAttributes",
    "ReportUpdateAttributesStatus",
    "ReportUpdateData",
    "ReportUpdateRequest",
    "Resource",
    "ResourceAttributes",
    "ResourceIdentifier",
    "ResourceLinks",
    "ResourceRelationships",
    "ServiceOffering",
    "ServiceOfferingAttributes",
    "ServiceOfferingCollectionDocument",
    "ServiceOfferingCreateAttributes",
    "ServiceOfferingCreateData",
    "ServiceOfferingCreateRequest",
    "ServiceOfferingDocument",
    "ServiceOfferingRelationships",
    "ServiceOfferingType",
    "ServiceOfferingUpdateAttributes",
    "ServiceOfferingUpdateData",
    "ServiceOfferingUpdateRequest",
    "StaffMember",
    "StaffMemberAttributes",
    "StaffMemberCollectionDocument",
    "StaffMemberCreateAttributes",
    "StaffMemberCreateData",
    "StaffMemberCreateRequest",
    "StaffMemberDocument",
    "StaffMemberRelationships",
    "StaffMemberType",
    "StaffMemberUpdateAttributes",
    "StaffMemberUpdateData",
    "StaffMemberUpdateRequest",
    "ToManyRelationship",
    "ToOneRelationship",
    "ToOneRelationshipDataType0",
    "TokenRequest",
    "TokenRequestGrantType",
    "TokenResponse",
    "UnitOfWork",
    "UnitOfWorkAttributes",
    "UnitOfWorkAttributesRecordType",
    "UnitOfWorkAttributesStatus",
    "UnitOfWorkCollectionDocument",
    "UnitOfWorkCreateAttributes",
    "UnitOfWorkCreateAttributesRecordType",
    "UnitOfWorkCreateAttributesStatus",
    "UnitOfWorkCreateData",
    "UnitOfWorkCreateRequest",
    "UnitOfWorkDocument",
    "UnitOfWorkType",
    "UnitOfWorkUpdateAttributes",
    "UnitOfWorkUpdateAttributesRecordType",
    "UnitOfWorkUpdateAttributesStatus",
    "UnitOfWorkUpdateData",
    "UnitOfWorkUpdateRequest",
    "User",
    "UserAttributes",
    "UserCollectionDocument",
    "UserCreateAttributes",
    "UserCreateData",
    "UserCreateRequest",
    "UserDocument",
    "UserType",
    "UserUpdateAttributes",
    "UserUpdateData",
    "UserUpdateRequest",
)
